import type { common as en } from '../en/common.ts';

// 日本語の文言。キーは ../en/common.ts と同じ（欠けると型エラー）。
export const common = {
  langName: '日本語',
  systemName: '在留申請オンラインシステム',
  systemNameShort: '在留申請オンライン',
  agency: '出入国在留管理庁',
  skipToContent: '本文へスキップ',
  languageSwitchLabel: '言語',
  required: '必須',
  optional: '任意',
  example: '例)',
  errorTitlePrefix: 'エラー',
  errorSummaryTitle: '入力内容に誤りがあります',
  errorSummaryHint: '赤色の感嘆符が付いた項目を修正してから、もう一度お試しください。',
  errorIconLabel: 'エラー：',
  footerTerms: '利用規約',
  footerSources: '出典・ライセンス',
  headerSignIn: 'ログイン',
  headerMyPage: 'マイページ',
  submitDefault: '送信',
  footerPrepare: '事前に準備するもの',
  footerCopyright: '© 出入国在留管理庁',
  steps: {
    label: '利用者登録の手順',
    step1: '利用者情報入力（STEP1）',
    step2: '利用者情報確認（STEP2）',
    step3: '利用者情報登録完了（STEP3）',
    current: '現在の手順',
    done: '完了',
  },
  home: {
    title: '在留申請オンラインシステム',
    lead: '個人番号カードを使って、在留申請をオンラインで行うことができます。',
    newUserTitle: '新規利用者登録（オンラインシステムの利用登録）',
    newUserText:
      'オンラインシステムを利用するには、まず利用者登録を行ってください。ICカードリーダライタで個人番号カードを読み取ってから、下のボタンを押してください。',
    applicantButton: '外国人（申請人）・その他',
    prepareLink: '利用者登録の前に準備するもの',
    registeredTitle: '登録済みの方',
    registeredText: '利用者IDとパスワード、又は個人番号カードでログインしてください。',
    signIn: 'ログイン',
    forgotPassword: 'パスワードをお忘れの方',
    forgotUserId: '利用者IDをお忘れの方',
    whoTitle: '登録できる方',
    whoText:
      'どなたも、ご自身の個人番号カードで「外国人（申請人）・その他」から登録します。どなたの在留申請を行うかは、STEP1の利用者区分で選択します。',
    // 登録できる方：利用者の種類ごとに、STEP1で選択する利用者区分。
    whoCategory: 'STEP1で選択する利用者区分：',
    whoForeignNational: 'ご自身の在留申請を行う外国人の方（在留カードも必要です）',
    whoLegalRepresentative:
      '法律上、代理で手続を行うことが認められた法定代理人として、御家族の在留申請を行う方',
    whoFamily: '外国人の方の配偶者、子、父又は母として、御家族の在留申請を行う方（法定代理人の方を除きます）',
    whoAgent:
      '申請取次者として地方出入国在留管理局に届け出た弁護士・行政書士の方（申請取次者証明書番号も必要です）',
    startupGuideLink: 'スタートアップガイド：カード、ICカードリーダライタ、利用者クライアントソフトの準備',
    /** カードの手順が失敗したときの案内の後に表示。 */
    noticeGuide: 'カード、ICカードリーダライタ、利用者クライアントソフトについて：スタートアップガイド',
  },
  prepare: {
    title: '利用者登録の前に準備するもの',
    lead: '利用者登録を始める前に、次のものを準備してください。',
    card: '個人番号カード',
    cardHint: '署名用パスワード（6～16桁の英数字）と利用者証明用パスワード（4桁の数字）が必要です。',
    residenceCard: '在留カード（ご自身の在留申請を行う場合）',
    client: 'パソコンにインストールした利用者クライアントソフト',
    clientHint:
      'カードを読み取り、カードのパスワードを専用の画面で入力します。パスワードがこのウェブサイトに送られることはありません。',
    reader: 'パソコンに接続したICカードリーダライタ',
    start: '登録を始める',
    back: 'トップページへ戻る',
    startupGuide: '利用者登録の準備について詳しくは、スタートアップガイドを御覧ください。',
  },
  terms: {
    title: '利用規約',
  },
  sources: {
    title: '出典・ライセンス',
    municipalities:
      '出典：デジタル庁「アドレス・ベース・レジストリ」（全国 市区町村マスター、全国 都道府県マスター）を加工して作成（CC BY 4.0）',
    tokens: 'デザイントークン：デジタル庁デザインシステム（@digital-go-jp/design-tokens、MITライセンス）',
  },
  notFound: {
    title: 'ページが見つかりません',
    text: 'お探しのページは存在しません。アドレスが間違っているか、ページが移動した可能性があります。',
    back: 'トップページへ戻る',
  },
  serverError: {
    title: 'エラーが発生しました',
    text: 'システム側の問題により、処理を完了できませんでした。しばらくしてから、もう一度お試しください。入力された内容が二重に登録されることはありません。',
    reference: '問合せ番号',
    back: 'トップページへ戻る',
  },
  badRequest: {
    title: 'リクエストを読み取れませんでした',
    text: 'ブラウザから送られた内容を読み取れませんでした。前の画面に戻って、もう一度お試しください。',
  },
  csrf: {
    title: 'このページの有効期限が切れました',
    text: 'セキュリティのため、送信された内容を受け付けられませんでした（ページを長時間開いていたか、他のサイトから送信されました）。前の画面に戻り、ページを再読み込みしてから、もう一度お試しください。',
  },
  tooLarge: {
    title: '送信された内容が長すぎます',
    text: '送信された内容が、入力できる長さを大きく超えています。前の画面に戻り、入力内容を短くしてから、もう一度お試しください。',
  },
  notAForm: {
    title: '送信された内容の形式に対応していません',
    text: 'このサイトでは、画面の入力フォームから送信された内容だけを受け付けます。前の画面に戻り、ページを再読み込みしてから、もう一度お試しください。',
  },
  tooMany: {
    title: 'アクセスが集中しています',
    text: '短時間に多くのリクエストが送られました。1分ほど待ってから、もう一度お試しください。',
  },
} satisfies typeof en;
