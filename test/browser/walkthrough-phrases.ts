// What the walkthrough expects to read on each screen. English phrases are the manual's own
// words where the manual names them (User Registration Manual, March 2022); the client's
// Japanese dialog texts are the manual's too. Written out here, not taken from the catalogs,
// so a changed catalog text fails the walkthrough instead of silently following it.
export type Lang = 'en' | 'ja';

export const manual = {
  en: {
    top: {
      newUser: 'New User Registration (Registration to use the online system)',
      button: 'Foreign national (applicant) / other',
    },
    dialog: {
      title: 'User Client Software — Enter Password',
      signPrompt: "Enter your Individual Number card's Digital Signature PIN code (6–16 letters and digits).",
      authPrompt: "Enter your Individual Number card's Digital User ID PIN code (4 digits).",
      showPassword: 'Show password',
      ok: 'OK',
      cancel: 'Cancel',
    },
    step1: {
      title: 'User information registration',
      steps: [
        'Enter user information (STEP1)',
        'Confirm user information (STEP2)',
        'Completion of user information registration (STEP3)',
      ],
      heading: 'Enter user information (STEP1)',
      labels: [
        'User name',
        'Sex',
        'Date of birth',
        'Address in Japan (prefecture and municipality)',
        'Address in Japan (street address)',
        'User contact information Telephone No.',
        'Email address',
        'Email address (confirm)',
        'User category',
        'Residence Card number',
        'Certificate of proxy notification number',
      ],
      userNameHint:
        '1-byte alphabetical letters(upper case), up to 104 letters, separate two words by a space.',
      proxyHint: 'Required if the selected user type is Attorney /Administrative Procedures Legal Specialist',
      proxyFormat: '1-byte numeric characters, up to 12 letters',
      termsIntro: 'Read the Terms of Use and if you agree, check "I agree to the Terms of Use."',
      termsLink: 'Terms of Use are here.',
      agree: 'I agree to the Terms of Use.',
      confirm: 'Confirm',
      back: 'Back',
      errorTitle: /^Error: /,
      municipality: 'Shinjuku-ku',
      municipalityChosen: 'Selected: Shinjuku-ku, Tokyo',
      street: 'Nishishinjuku 2-8-1',
    },
    terms: 'Terms of Use',
    step2: {
      heading: 'Confirm user information (STEP2)',
      lead: 'Information entered in Enter user information (STEP1)',
      male: 'Male',
      address: 'Shinjuku-ku, Tokyo',
      register: 'Registration',
      back: 'Back',
    },
    step3: {
      heading: 'Completion of user information registration (STEP3)',
      done: 'The registration of your user information has been completed',
      emailSent: (email: string) =>
        `A notification of completion of user information registration will be sent to your email address ${email}`,
      userId: /\(User ID : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\)/,
      backToTop: 'Back to Top page',
    },
    mail: { subject: /User registration complete/ },
    password: {
      title: 'Set your password',
      submit: 'Set password',
      done: 'Your password has been set',
    },
    signIn: 'Sign in',
    myPage: 'My page',
  },
  ja: {
    top: {
      newUser: '新規利用者登録（オンラインシステムの利用登録）',
      button: '外国人（申請人）・その他',
    },
    dialog: {
      title: '利用者クライアントソフト パスワード入力',
      signPrompt: '個人番号カードの署名用パスワード（6～16桁の英数字）を入力してください。',
      authPrompt: '個人番号カードの利用者証明用パスワード（4桁の数字）を入力してください。',
      showPassword: 'パスワードを表示する。',
      ok: 'OK',
      cancel: 'キャンセル',
    },
    step1: {
      title: '利用者情報登録',
      steps: ['利用者情報入力（STEP1）', '利用者情報確認（STEP2）', '利用者情報登録完了（STEP3）'],
      heading: '利用者情報入力（STEP1）',
      labels: [
        '利用者氏名',
        '性別',
        '生年月日',
        '住居地（都道府県・市区町村）',
        '住居地（町名・番地等）',
        '利用者連絡先電話番号',
        'メールアドレス',
        'メールアドレス（確認用）',
        '利用者区分',
        '在留カード番号',
        '申請取次者証明書番号',
      ],
      userNameHint: '半角英字（大文字）104文字以内で、氏名の間は半角スペースで区切ってください。',
      proxyHint: '利用者区分で「弁護士」又は「行政書士」を選択した場合は必須です。',
      proxyFormat: '半角数字12桁以内',
      termsIntro:
        '利用規約をお読みいただき、同意される場合は「利用規約に同意する」にチェックを入れてください。',
      termsLink: '利用規約はこちら',
      agree: '利用規約に同意する',
      confirm: '確認',
      back: '戻る',
      errorTitle: /^エラー/,
      municipality: '新宿区',
      municipalityChosen: '選択中：東京都新宿区',
      street: '西新宿二丁目8番1号',
    },
    terms: '利用規約',
    step2: {
      heading: '利用者情報確認（STEP2）',
      lead: '利用者情報入力（STEP1）で入力した情報',
      male: '男',
      address: '東京都新宿区',
      register: '登録',
      back: '戻る',
    },
    step3: {
      heading: '利用者情報登録完了（STEP3）',
      done: '利用者情報の登録が完了しました',
      emailSent: (email: string) =>
        `登録されたメールアドレス ${email} に利用者情報登録完了のお知らせを送信します`,
      userId: /[（(]利用者ID ?[:：] ?([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})[）)]/,
      backToTop: 'トップページへ戻る',
    },
    mail: { subject: /利用者情報登録完了のお知らせ/ },
    password: {
      title: 'パスワードの設定',
      submit: 'パスワードを設定',
      done: 'パスワードを設定しました',
    },
    signIn: 'ログイン',
    myPage: 'マイページ',
  },
} as const;

/** The password-setting link in the text part of the completion email. */
export function passwordLink(body: string, portalUrl: string): string {
  const escaped = portalUrl.replace(/[.:/]/g, '\\$&');
  const link = new RegExp(`${escaped}/password/set\\?token=[A-Za-z0-9_-]{43}`).exec(body)?.[0];
  if (!link) throw new Error(`no password link in the email:\n${body}`);
  return link;
}
