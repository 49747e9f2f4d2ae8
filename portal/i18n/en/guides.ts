// English phrases of the guide pages: the Startup Guide (manual §1.1 "Please read the Startup
// Guide") and "How to check your number of certificate of proxy notification" (manual §1.3).
// Japanese: ../ja/guides.ts (same keys, checked by the compiler).
export const guides = {
  newWindow: '(opens in a new window)',
  startup: {
    title: 'Startup Guide',
    lead: 'Prepare your computer before you register as a user: what you need, how to install and start the user client software, and how to check that it can read your card.',
    contents: 'On this page',
    prepare: {
      title: '1. What to prepare',
      card: 'Your Individual Number card. Registration uses both of its electronic certificates: the certificate for digital signatures and the certificate for user identification.',
      reader:
        'An IC card reader that can read the Individual Number card, connected to your computer (a contactless reader is the most common kind).',
      smartphone:
        'Where your computer supports it, a smartphone can take the place of the IC card reader: it must appear to the computer as an IC card reader (PC/SC reader).',
      residenceCard: 'Your Residence Card, if you will make residency applications for yourself.',
    },
    passwords: {
      title: '2. Your card’s two passwords',
      lead: 'You set these passwords when the card was issued. The user client software asks for them in its own window; they are never sent to this website.',
      sign: 'Digital Signature PIN code: 6 to 16 letters (A–Z) and digits. It is locked after 5 wrong entries in a row.',
      auth: 'Digital User ID PIN code: 4 digits. It is locked after 3 wrong entries in a row.',
      blockedTitle: 'If a password is locked or forgotten',
      blocked:
        'Take your Individual Number card to your municipal office, where the password can be reset. The Digital Signature PIN code can in some cases also be re-initialised at a convenience-store terminal; see the Individual Number card’s official guidance. The user client software shows how many tries are left before you type.',
    },
    install: {
      title: '3. Install the user client software',
      lead: 'The user client software runs on your computer. It reads your card and asks for the card’s passwords, then hands only the card’s signed answer back to this website.',
      tableCaption: 'User client software downloads',
      file: 'File',
      for: 'For',
      size: 'Size',
      checksum: 'SHA-256 checksum',
      kinds: {
        js: 'Any computer with Node.js 20 or later (Windows, macOS or Linux)',
        'linux-x64': 'Linux (x64): one program file, nothing else to install',
      },
      megabytes: (mb: string) => `${mb} MB`,
      none: 'The user client software cannot be downloaded from this server at the moment. Please try again later.',
      verifyTitle: 'Check the download',
      verify:
        'Before you start the file, check that its SHA-256 checksum equals the value shown above (all checksums: ',
      verifyEnd: '). On your computer:',
      verifyWindows: 'Windows (PowerShell)',
      verifyMac: 'macOS',
      verifyLinux: 'Linux',
    },
    start: {
      title: '4. Start the user client software',
      lead: 'Start it before you click "Foreign national (applicant) / other", and keep it running until your registration is complete. It answers only this website and only on your own computer.',
      withNode: 'With Node.js (any computer):',
      withLinux: 'The Linux program:',
      windows: 'On Windows (PowerShell):',
      reader:
        'With an IC card reader, the software uses your computer’s smart card service (built into Windows and macOS; on Linux install pcscd) through the PC/SC module @pokusew/pcsclite, installed in a node_modules folder beside the downloaded file. Without that module it starts with its demonstration reader, which holds demonstration cards only.',
    },
    check: {
      title: '5. Check that it sees your card',
      lead: 'Open the status page of the user client software:',
      steps: [
        'Place your Individual Number card on the IC card reader.',
        'The page shows the IC card reader’s name, "Individual Number card" as the card type, and how many tries are left for each password.',
        'If the page does not open, the software is not running: start it again. If it says that no reader or no card was found, check the reader’s cable and place the card flat on the reader, then reload the page.',
      ],
    },
    next: {
      title: '6. Register',
      text: 'When the status page shows your card, go back to the Top page and click "Foreign national (applicant) / other".',
      back: 'Back to Top page',
    },
  },
  proxy: {
    title: 'How to check your number of certificate of proxy notification',
    lead: 'Only users who select Attorney or Administrative Procedures Legal Specialist as their user category need this number.',
    what: {
      title: 'What the certificate is',
      text: 'Attorneys and Administrative Procedures Legal Specialists (gyoseishoshi lawyers) who submit residency applications on behalf of foreign nationals notify the Director of the Regional Immigration Services Bureau in advance. When the notification is accepted, they receive a certificate of proxy notification. Its number identifies you as a notified application agent.',
    },
    who: {
      title: 'Who issues it',
      text: 'The notification is made, and the certificate received, through your professional association: the bar association for attorneys, the Gyoseishoshi Lawyers association for Administrative Procedures Legal Specialists.',
    },
    where: {
      title: 'Where the number is printed',
      text: 'The certificate of proxy notification number is printed on the front of the certificate. Enter only its digits, up to 12, without spaces or hyphens.',
      example: 'e.g. 123456789012',
    },
    lost: {
      title: 'If you have lost the certificate',
      text: 'Ask the association you belong to (the bar association or the Gyoseishoshi Lawyers association) for a new certificate; if it was stolen, report that to the police as well. If the certificate has expired, renew it through the association. You need the number of a valid certificate to register as an Attorney or Administrative Procedures Legal Specialist.',
    },
    note: 'This page is this system’s guidance. For the notification itself, follow the guidance of your association.',
    back: 'Back to Top page',
  },
};
