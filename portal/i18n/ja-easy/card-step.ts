// やさしい日本語（ja-easy）：カードの 読み取りが 失敗した ときの 文言。キーは ../en/card-step.ts と同じ。

import type { CardPurpose, CardStepErrorCode, PurposeWordedCode, Text } from '../codes.ts';
import type { cardStep as en } from '../en/card-step.ts';

const again = 'もう一度{いちど} してください。';
const town = '住{す}んでいる 市区町村{しくちょうそん}の 窓口{まどぐち}';
const reader = 'ICカードリーダライタ';

/** 目的によらず同じ文言。 */
const common = {
  no_card: `${reader}に カードが ありません。個人番号{こじんばんごう}カードを 置{お}いて、${again}`,
  not_jpki_card:
    'この カードは 使{つか}えません。電子証明書{でんししょうめいしょ}の ある 個人番号{こじんばんごう}カードを 使{つか}ってください。',
  sign_password_blocked: `署名用{しょめいよう}パスワードを 何回{なんかい}も 間違{まちが}えたので、ロックされました。${town}か コンビニの 機械{きかい}で 元{もと}に 戻{もど}してください。`,
  auth_pin_blocked: `利用者証明用{りようしゃしょうめいよう}パスワードを 何回{なんかい}も 間違{まちが}えたので、ロックされました。${town}で 元{もと}に 戻{もど}してください。`,
  card_error: `カードを 読{よ}めませんでした。カードが ${reader}に 正{ただ}しく 置{お}いてあるか 見{み}てください。${again}何回{なんかい}も 起{お}きる ときは、利用者{りようしゃ}クライアントソフトを もう一度{いちど} 起動{きどう}してください。`,
  bad_request: `利用者{りようしゃ}クライアントソフトが 受{う}け付{つ}けませんでした。ソフトが いちばん 新{あたら}しいか 見{み}てください。この ページから ${again}`,
  request_unknown: `カードを 読{よ}む 手続{てつづ}きが 見{み}つかりませんでした。${again}`,
  request_used: `この カードの 結果{けっか}は もう 使{つか}いました。結果{けっか}は 1回{かい}だけ 使{つか}えます。${again}`,
  request_expired: (v) =>
    `カードを 読{よ}む 時間{じかん}（${v.cardSessionMinutes}分{ふん}）が 過{す}ぎました。${again}`,
  session_mismatch: `カードを 読{よ}む 手続{てつづ}きが ほかの ブラウザか ほかの 画面{がめん}で 終{お}わりました。この ブラウザで ${again}`,
  token_invalid: `利用者{りようしゃ}クライアントソフトの 答{こた}えを 読{よ}めませんでした。${again}`,
  origin_mismatch: `カードを 読{よ}む 手続{てつづ}きが ほかの サイトの ために 始{はじ}まりました。この ページから ${again}`,
  certificate_invalid: `カードの 電子証明書{でんししょうめいしょ}を 読{よ}めませんでした。${again}`,
  certificate_untrusted:
    'カードの 電子証明書{でんししょうめいしょ}を 信用{しんよう}できません。この カードは 使{つか}えません。',
  certificate_not_yet_valid: `カードの 電子証明書{でんししょうめいしょ}は まだ 使{つか}えません。パソコンの 日付{ひづけ}と 時間{じかん}を 見{み}て、${again}`,
  revocation_unavailable: `カードの 電子証明書{でんししょうめいしょ}が 使{つか}えるか 調{しら}べられませんでした。少{すこ}し 待{ま}って、${again}`,
  auth_certificate_revoked: `カードの 電子証明書{でんししょうめいしょ}は もう 使{つか}えません（なくした 届{とど}けなど）。${town}に 聞{き}いてください。`,
  key_usage: 'カードの 電子証明書{でんししょうめいしょ}は、これには 使{つか}えません。',
  signature_invalid: `カードの 署名{しょめい}が 合{あ}いません（ほかの サイトの ための 署名{しょめい}かもしれません）。この ページから ${again}`,
} satisfies Record<Exclude<CardStepErrorCode, PurposeWordedCode>, Text>;

const cancelled = '利用者{りようしゃ}クライアントソフトで やめました。';
const noSign =
  'この 個人番号{こじんばんごう}カードには 署名用電子証明書{しょめいようでんししょうめいしょ}が ありません。';
const expired =
  '個人番号{こじんばんごう}カードの 電子証明書{でんししょうめいしょ}は 期限{きげん}が 切{き}れています。';
const revoked =
  'カードの 署名用電子証明書{しょめいようでんししょうめいしょ}は もう 使{つか}えません（引{ひ}っ越{こ}しなど）。';
const noReader = `${reader}が 見{み}つかりません。パソコンに ${reader}を つないでください。`;
const passwordSignIn = 'IDと パスワードで ログインしてください。';

/** 目的によって言葉が変わるもの。 */
const words = {
  registration: {
    cancelled: `${cancelled}登録{とうろく}は していません。`,
    no_reader: `${noReader}それから もう一度{いちど}「外国人{がいこくじん}（申請人{しんせいにん}）・その他{た}」を 押{お}してください。`,
    no_sign_certificate: `${noSign}15歳{さい}より 下{した}の 人{ひと}の カードには ありません。登録{とうろく}には これが 必要{ひつよう}です。${town}に 聞{き}いてください。`,
    certificate_expired: `${expired}${town}で 電子証明書{でんししょうめいしょ}を 新{あたら}しく してから、もう一度{いちど} 登録{とうろく}してください。`,
    sign_certificate_revoked: `${revoked}${town}で 電子証明書{でんししょうめいしょ}を もう一度{いちど} もらってから、登録{とうろく}してください。`,
  },
  signin: {
    cancelled: `${cancelled}ログインは していません。`,
    no_reader: `${noReader}それから もう一度{いちど}「カードでログイン」を 押{お}してください。`,
    no_sign_certificate: `${noSign}${passwordSignIn}または ${town}に 聞{き}いてください。`,
    certificate_expired: `${expired}${town}で 電子証明書{でんししょうめいしょ}を 新{あたら}しく してください。それまでは ${passwordSignIn}`,
    sign_certificate_revoked: `${revoked}${passwordSignIn}${town}で 電子証明書{でんししょうめいしょ}を もう一度{いちど} もらってください。`,
  },
  'recover-user-id': {
    cancelled: `${cancelled}IDの 確認{かくにん}は していません。`,
    no_reader: `${noReader}それから もう一度{いちど}「カードを読{よ}み取{と}る」を 押{お}してください。`,
    no_sign_certificate: `${noSign}${town}に 聞{き}いてください。IDの ことは ヘルプデスクに 聞{き}いてください。`,
    certificate_expired: `${expired}${town}で 電子証明書{でんししょうめいしょ}を 新{あたら}しく してから、もう一度{いちど} IDを 確{たし}かめてください。`,
    sign_certificate_revoked: `${revoked}${town}で 電子証明書{でんししょうめいしょ}を もう一度{いちど} もらってから、IDを 確{たし}かめてください。`,
  },
  'renew-card': {
    cancelled: `${cancelled}登録{とうろく}した 内容{ないよう}は 変{か}わっていません。`,
    no_reader: `${noReader}パスワードを 書{か}いて、もう一度{いちど}「新{あたら}しいカードを読{よ}み取{と}る」を 押{お}してください。`,
    no_sign_certificate:
      '新{あたら}しい カードには 署名用電子証明書{しょめいようでんししょうめいしょ}が ありません。' +
      `${town}に 聞{き}いてください。登録{とうろく}した 内容{ないよう}は 変{か}わっていません。`,
    certificate_expired: `この カードの 電子証明書{でんししょうめいしょ}は 期限{きげん}が 切{き}れているので、登録{とうろく}できません。${town}で 新{あたら}しく してから、${again}`,
    sign_certificate_revoked: `${revoked}${town}で 電子証明書{でんししょうめいしょ}を もう一度{いちど} もらってから、${again}`,
  },
} satisfies Record<CardPurpose, Record<PurposeWordedCode, string>>;

export const cardStep = {
  /** t.cardStep.notices[purpose][code]: every card-step failure, for each purpose. */
  notices: {
    registration: { ...common, ...words.registration },
    signin: { ...common, ...words.signin },
    'recover-user-id': { ...common, ...words['recover-user-id'] },
    'renew-card': { ...common, ...words['renew-card'] },
  } satisfies Record<CardPurpose, Record<CardStepErrorCode, Text>>,
} satisfies typeof en;
