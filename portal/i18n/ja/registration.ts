import type { CardStepErrorCode, RegistrationNoticeCode, Text } from '../codes.ts';
import type { registration as en } from '../en/registration.ts';
import { cardStep } from './card-step.ts';

// 利用者登録まわりの日本語の文言。キーは ../en/registration.ts と同じ（欠けると型エラー）。
export const registration = {
  title: '利用者情報登録',
  notices: {
    ...cardStep.notices.registration,
    card_already_registered:
      'この個人番号カードは既に利用者登録されています。利用者登録はカード1枚につき1回です。利用者IDでログインしてください。',
    draft_expired:
      '一定時間操作がなかったため、入力内容を削除しました。もう一度、利用者登録をやり直してください。',
    card_step_required:
      '利用者登録を行うには、まず個人番号カードを読み取ってください。「外国人（申請人）・その他」を押してください。',
  } satisfies Record<RegistrationNoticeCode | CardStepErrorCode, Text>,
  step1: {
    heading: '利用者情報入力（STEP1）',
    intro:
      '利用者氏名、性別及び生年月日は、個人番号カードの情報から入力されています。その他の必須項目を入力してください。これらの項目が入力されていない場合は、入力してください。',
    fromCard: '個人番号カードの情報から入力されています',
    userName: {
      label: '利用者氏名',
      hint: '半角英字（大文字）104文字以内で、氏名の間は半角スペースで区切ってください。',
      example: 'HOUMU TARO',
    },
    sex: { label: '性別', male: '男', female: '女' },
    dateOfBirth: {
      label: '生年月日',
      hint: '西暦の年（4桁）、月、日を入力してください。',
      year: '年',
      month: '月',
      day: '日',
      example: '1990 4 1',
    },
    municipality: {
      label: '住居地（都道府県・市区町村）',
      hint: '「検索」を押して都道府県を選択し、在留カードに記載された住居地の市区町村を選択してください。',
      search: '検索',
      notChosen: '未選択',
      chosen: '選択中：',
    },
    streetAddress: {
      label: '住居地（町名・番地等）',
      hint: '町名、番地、建物名、部屋番号等を100文字以内で入力してください。',
      example: '西新宿二丁目8番1号',
    },
    telephone: {
      label: '利用者連絡先電話番号',
      hint: '固定電話又は携帯電話の番号を入力してください。いずれもない場合は、日中に連絡が取れる電話番号を入力してください。ハイフンは入力しても構いません。',
      example: '090-1234-5678',
    },
    email: {
      label: 'メールアドレス',
      hint: '登録完了のお知らせを送信します。',
      example: 'user02@ens-test.com',
    },
    emailConfirm: { label: 'メールアドレス（確認用）', hint: '確認のため、もう一度入力してください。' },
    userCategory: {
      label: '利用者区分',
      hint: 'どなたの在留申請を行うかを選択します。',
      choose: '選択してください',
      // マニュアルSTEP1の項目9（選択肢ごとに1行。申請取次者の行を追加）。
      guide: [
        'ご自身の在留申請を行う場合は「外国人本人」を選択してください。',
        '法律上、代理で手続を行うことが認められた法定代理人として、御家族の在留申請を行う場合は「法定代理人」を選択してください。',
        '配偶者、子、父又は母として、御家族の在留申請を行う場合は「配偶者」「子」「父」又は「母」を選択してください（法定代理人の方を除きます）。',
        '届出済みの申請取次者として、ほかの方の在留申請を行う場合は「弁護士」又は「行政書士」を選択し、申請取次者証明書番号を入力してください。',
      ],
    },
    residenceCardNumber: {
      label: '在留カード番号',
      hint: '利用者区分で「外国人本人」を選択した場合は必須です。英字2桁、数字8桁、英字2桁です。',
      example: 'AB12345678CD',
    },
    proxyNotificationNumber: {
      label: '申請取次者証明書番号',
      hint: '利用者区分で「弁護士」又は「行政書士」を選択した場合は必須です。',
      howTo: '申請取次者証明書番号の確認方法は、次のリンクを御覧ください。',
      howToLink: '申請取次者証明書番号の確認方法',
      format: '半角数字12桁以内',
      example: '123456789012',
    },
    terms: {
      title: '利用規約',
      intro: '利用規約をお読みいただき、同意される場合は「利用規約に同意する」にチェックを入れてください。',
      link: '利用規約はこちら',
      newWindow: '（新しいウィンドウで開きます）',
      agree: '利用規約に同意する',
    },
    confirm: '確認',
    back: '戻る',
  },
  userCategories: {
    foreign_national: '外国人本人',
    legal_representative: '法定代理人',
    spouse: '配偶者',
    child: '子',
    father: '父',
    mother: '母',
    attorney: '弁護士',
    administrative_scrivener: '行政書士',
  },
  errors: {
    userName: {
      required: '利用者氏名を入力してください。',
      invalid_characters: '利用者氏名は半角英字（A～Z）で入力し、氏名の間は半角スペースで区切ってください。',
      too_long: '利用者氏名は104文字以内で入力してください。',
    },
    sex: { required: '性別を選択してください。' },
    dateOfBirth: {
      required: '生年月日（年・月・日）を入力してください。',
      invalid_date: '生年月日に正しい日付を入力してください（例：1990 4 1）。',
      not_past: '生年月日には今日より前の日付を入力してください。',
      too_old: '生年月日の年は1900年以降を入力してください。',
    },
    municipality: {
      required: '「検索」から都道府県・市区町村を選択してください。',
      unknown: '「検索」から市区町村を選択し直してください。',
    },
    streetAddress: {
      required: '住居地（町名・番地等）を入力してください。',
      too_long: '住居地（町名・番地等）は100文字以内で入力してください。',
      invalid_characters: '住居地（町名・番地等）に使用できない文字が含まれています。',
    },
    telephone: {
      required: '利用者連絡先電話番号を入力してください。',
      invalid_characters: '利用者連絡先電話番号は数字で入力してください（ハイフンは入力可）。',
      invalid_number:
        '国内の電話番号を入力してください。固定電話は10桁（例：03-1234-5678）、携帯電話は11桁（例：090-1234-5678）です。',
    },
    email: {
      required: 'メールアドレスを入力してください。',
      invalid: 'メールアドレスを正しい形式で入力してください（例：name@example.jp）。',
      too_long: 'メールアドレスは254文字以内で入力してください。',
      invalid_characters: 'メールアドレスに使用できない文字が含まれています。',
    },
    emailConfirm: {
      required: '確認のため、メールアドレスをもう一度入力してください。',
      mismatch: 'メールアドレスとメールアドレス（確認用）が一致しません。',
      invalid_characters: 'メールアドレス（確認用）に使用できない文字が含まれています。',
    },
    userCategory: { required: '利用者区分を選択してください。' },
    residenceCardNumber: {
      required: '在留カード番号を入力してください（利用者区分が「外国人本人」の場合は必須です）。',
      invalid_format: '在留カード番号は英字2桁、数字8桁、英字2桁で入力してください（例：AB12345678CD）。',
      invalid_characters: '在留カード番号に使用できない文字が含まれています。',
    },
    proxyNotificationNumber: {
      required:
        '申請取次者証明書番号を入力してください（利用者区分が「弁護士」又は「行政書士」の場合は必須です）。',
      invalid_format: '申請取次者証明書番号は半角数字12桁以内で入力してください。',
      invalid_characters: '申請取次者証明書番号に使用できない文字が含まれています。',
    },
    termsAgreed: { required: '利用規約をお読みいただき、「利用規約に同意する」にチェックを入れてください。' },
  },
  search: {
    title: '検索',
    conditions: '検索条件',
    prefecture: '都道府県',
    choosePrefecture: '選択してください',
    search: '検索',
    results: '検索結果',
    count: (n: number) => `${n}件`,
    choose: '選択',
    close: '閉じる',
    backToForm: '入力画面に戻る',
    selectPrefectureFirst: '都道府県を選択して「検索」を押してください。',
    failed: '検索できませんでした。通信状況を確認して、もう一度「検索」を押してください。',
  },
  step2: {
    heading: '利用者情報確認（STEP2）',
    lead: '利用者情報入力（STEP1）で入力した情報',
    check: '入力内容に誤りがないか確認してください。修正する場合は「戻る」を押してください。',
    none: '入力なし',
    termsAgreed: '利用規約に同意する',
    register: '登録',
    back: '戻る',
  },
  step3: {
    heading: '利用者情報登録完了（STEP3）',
    done: '利用者情報の登録が完了しました',
    emailSent: (email: string) =>
      `登録されたメールアドレス ${email} に利用者情報登録完了のお知らせを送信します`,
    userId: '利用者ID',
    setPassword: '確認メールの案内に従って、パスワードを設定してください。',
    backToTop: 'トップページへ戻る',
  },
} satisfies typeof en;
