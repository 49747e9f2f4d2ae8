// The Terms of Use, English translation. The Japanese text (../ja/terms.ts) prevails.
export const terms = {
  updated: 'Effective date: 1 April 2026',
  /** The manual does not give the agency's own terms: these are this system's. */
  sample:
    'These are sample terms of use written for this system. The User Registration Manual does not include the Immigration Services Agency’s own Terms of Use, so this text is not the Agency’s.',
  sampleTitle: 'Sample terms',
  intro:
    'These Terms of Use set out the conditions for using the user registration function of the Online Residence Application System (the "System") operated by the Immigration Services Agency of Japan (the "Agency"). By checking "I agree to the Terms of Use" and registering, you agree to these Terms.',
  /** Shown above the translation and the easy summary: the link to the Japanese text, which prevails. */
  authoritative: {
    note: 'The Japanese text is authoritative. This English version is a translation for convenience.',
    link: 'Read the Japanese text (authoritative)',
    back: 'Back to the English translation',
  },
  sections: [
    {
      heading: 'Article 1 (Purpose)',
      body: [
        'The System allows residency applications under the Immigration Control and Refugee Recognition Act to be made online. User registration identifies the person who will make such applications, using the electronic certificates of the Individual Number card, and gives that person a User ID.',
      ],
    },
    {
      heading: 'Article 2 (Who may register)',
      body: [
        'The following persons who hold a valid Individual Number card with both electronic certificates (Digital Signature and Digital User ID) may register: (1) a foreign national residing in Japan who makes residency applications for himself or herself; (2) a legal representative of such a foreign national; (3) the spouse, child, father or mother of such a foreign national who makes applications on his or her behalf; (4) an attorney or an Administrative Procedures Legal Specialist (Gyoseishoshi Lawyer) who has notified the Regional Immigration Services Bureau and holds a certificate of proxy notification.',
        'Each person may register only with his or her own Individual Number card. Registering with another person’s card, or using another person’s User ID or password, is not permitted.',
      ],
    },
    {
      heading: 'Article 3 (Handling of personal information)',
      body: [
        'The Agency uses the information you enter and the basic four information (name, date of birth, sex and address) read from the electronic certificate for digital signatures of your Individual Number card only to identify you, to process residency applications, and to contact you about them, in accordance with the Act on the Protection of Personal Information.',
        'The System does not read, record or use your Individual Number (My Number). Your PIN codes are entered only in the user client software on your computer and are never sent to the System.',
        'The Agency does not provide your personal information to third parties except where required by law.',
      ],
    },
    {
      heading: 'Article 4 (Management of your User ID and password)',
      body: [
        'You are responsible for keeping your User ID, password and Individual Number card safe. If you suspect that someone else knows your password or has used your card, change your password at once and contact the Agency. If your card is lost, suspend its electronic certificates through the card’s helpline.',
      ],
    },
    {
      heading: 'Article 5 (Prohibited acts)',
      body: [
        'You must not: register or apply with false information; use another person’s card, User ID or password; interfere with the operation of the System, including sending large numbers of requests or attempting unauthorised access; use the System for any purpose other than residency applications; or do anything else that breaks the law or public order.',
      ],
    },
    {
      heading: 'Article 6 (Suspension and deletion of registration)',
      body: [
        'The Agency may suspend or delete a user registration without prior notice if the user breaks these Terms, if the registered information is found to be false, or if the electronic certificate used for registration has been revoked.',
        'The Agency may stop or suspend the System for maintenance, failures or other unavoidable reasons. Planned stops are announced on the System in advance where possible.',
      ],
    },
    {
      heading: 'Article 7 (Disclaimer)',
      body: [
        'The Agency is not liable for damage caused by the use of, or the inability to use, the System, except in cases of intent or gross negligence by the Agency. You bear the cost of your own equipment, software and communication.',
      ],
    },
    {
      heading: 'Article 8 (Changes to these Terms)',
      body: [
        'The Agency may change these Terms when necessary. Changed Terms are published on the System and apply from the date shown.',
      ],
    },
    {
      heading: 'Article 9 (Language and governing law)',
      body: [
        'These Terms are written in Japanese; the English text is a translation for convenience. Where the two differ, the Japanese text prevails. These Terms are governed by the laws of Japan.',
      ],
    },
  ],
};
