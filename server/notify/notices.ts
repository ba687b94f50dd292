/**
 * The words of every e-mail Ombud sends. What a notice may say is decided
 * here, in one place, by types: a kind, opaque short case ids, counts and
 * the digest's day, written in the recipient's language (the one they chose
 * in the workspace; English if none). Nothing else reaches this module — no report content, category, channel,
 * team or reporter detail — so no e-mail can carry them
 * (docs/threat-model.md; ./notify.test.ts checks with canaries).
 */
import type { WorkspaceLanguage } from '../../common/workspace-languages.ts';

/** Every notice has the same subject: a subject line is read on lock screens. This is the English one. */
export const NOTICE_SUBJECT = 'Ombud: something needs your attention';

/** Days before a deadline that the digest counts as "soon" (./notifier.ts uses the same). */
export const ACK_SOON = 2;
export const FEEDBACK_SOON = 14;

/** Things that happened on a case, told in the next notice to its team. */
export const EVENT_KINDS = ['retaliation_reported', 'case_received', 'reporter_wrote'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** A notice lists at most this many events, or case ids per digest line (a flood of reports must not make a huge mail). */
export const MAX_EVENT_LINES = 50;

/** What the daily digest counts, with the short ids of the cases. */
export interface DigestCounts {
  acknowledgeSoon: string[];
  acknowledgeMissed: string[];
  feedbackSoon: string[];
  feedbackMissed: string[];
}

export type Notice =
  | { kind: 'events'; events: Array<{ kind: EventKind; caseShortId: string }> }
  | { kind: 'digest'; counts: DigestCounts; /** The day it is sent ('YYYY-MM-DD', UTC), written in the recipient's way. */ day?: string };

/** The short id investigators see in their case list (client/team/stages.ts). */
export function shortCaseId(caseId: string): string {
  return caseId.slice(0, 8);
}

function assertNever(value: never): never {
  throw new Error(`unknown notice: ${JSON.stringify(value)}`);
}

/**
 * A notice's words in one language. Counts and ids are filled in by the
 * functions; nothing else can reach them. A language is offered in the
 * workspace only if it is here (the Record's type), so a recipient never
 * gets half a translation.
 */
interface NoticeWords {
  subject: string;
  digestHeading: (date: string | undefined) => string;
  digestLine: (what: 'acknowledgeMissed' | 'acknowledgeSoon' | 'feedbackMissed' | 'feedbackSoon', count: number, ids: string) => string;
  event: Record<EventKind, (id: string) => string>;
  eventsHeading: string;
  more: (count: number) => string;
  signIn: (url: string) => string;
  footer: string[];
}

const WORDS: Readonly<Record<WorkspaceLanguage, NoticeWords>> = {
  en: {
    subject: NOTICE_SUBJECT,
    digestHeading: (date) => (date ? `Deadlines of your team's cases on ${date}:` : 'Deadlines of your team\'s cases:'),
    digestLine: (what, count, ids) => `- ${count} ${{
      acknowledgeMissed: 'acknowledgement overdue',
      acknowledgeSoon: `acknowledgement due within ${ACK_SOON} days`,
      feedbackMissed: 'feedback to the reporter overdue',
      feedbackSoon: `feedback to the reporter due within ${FEEDBACK_SOON} days`,
    }[what]}: ${ids}`,
    event: {
      retaliation_reported: (id) => `- URGENT: the reporter of case ${id} reports retaliation.`,
      case_received: (id) => `- A new report arrived for your team (case ${id}).`,
      reporter_wrote: (id) => `- The reporter wrote a new message on case ${id}.`,
    },
    eventsHeading: 'New on your team\'s cases:',
    more: (count) => `- … and ${count} more.`,
    signIn: (url) => `Sign in to read it: ${url}`,
    footer: [
      'This e-mail never contains what a report says. You receive it because you',
      'left this address in your Ombud account; change it under your name, top right.',
    ],
  },
  'zh-CN': {
    subject: 'Ombud：有事项需要您处理',
    digestHeading: (date) => (date ? `截至${date}，本团队案件的期限提醒：` : '本团队案件的期限提醒：'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: '已逾期未确认受理',
      acknowledgeSoon: `须在 ${ACK_SOON} 天内确认受理`,
      feedbackMissed: '已逾期未向反映人反馈',
      feedbackSoon: `须在 ${FEEDBACK_SOON} 天内向反映人反馈`,
    }[what]}：${count} 个案件（${ids}）`,
    event: {
      retaliation_reported: (id) => `- 紧急：案件 ${id} 的反映人表示遭到打击报复。`,
      case_received: (id) => `- 您的团队收到一件新的反映（案件 ${id}）。`,
      reporter_wrote: (id) => `- 案件 ${id} 的反映人发来一条新消息。`,
    },
    eventsHeading: '本团队案件的新动态：',
    more: (count) => `- ……另有 ${count} 项。`,
    signIn: (url) => `请登录查看：${url}`,
    footer: [
      '本邮件从不包含反映的具体内容。您收到此邮件，是因为您在 Ombud 账户中',
      '留下了这个地址；如需更改，请点击右上角您的姓名进行设置。',
    ],
  },
  vi: {
    subject: 'Ombud: có việc cần bạn xử lý',
    digestHeading: (date) => (date ? `Thời hạn các vụ việc của nhóm, ngày ${date}:` : 'Thời hạn các vụ việc của nhóm:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'đã quá hạn xác nhận tiếp nhận',
      acknowledgeSoon: `phải xác nhận tiếp nhận trong ${ACK_SOON} ngày tới`,
      feedbackMissed: 'đã quá hạn phản hồi cho người phản ánh',
      feedbackSoon: `phải phản hồi cho người phản ánh trong ${FEEDBACK_SOON} ngày tới`,
    }[what]}: ${count} vụ việc (${ids})`,
    event: {
      retaliation_reported: (id) => `- KHẨN: người phản ánh của vụ việc ${id} cho biết đang bị trù dập, trả thù.`,
      case_received: (id) => `- Nhóm của bạn vừa nhận một phản ánh mới (vụ việc ${id}).`,
      reporter_wrote: (id) => `- Người phản ánh vừa gửi tin nhắn mới trong vụ việc ${id}.`,
    },
    eventsHeading: 'Cập nhật mới trong các vụ việc của nhóm:',
    more: (count) => `- … và ${count} mục khác.`,
    signIn: (url) => `Đăng nhập để xem: ${url}`,
    footer: [
      'Thư này không bao giờ chứa nội dung phản ánh. Bạn nhận thư này vì đã để lại',
      'địa chỉ này trong tài khoản Ombud; có thể thay đổi ở mục tên của mình, góc trên bên phải.',
    ],
  },
  es: {
    subject: 'Ombud: hay algo que requiere su atención',
    digestHeading: (date) => (date ? `Plazos de los casos de su equipo al ${date}:` : 'Plazos de los casos de su equipo:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'acuse de recibo vencido',
      acknowledgeSoon: `acuse de recibo en los próximos ${ACK_SOON} días`,
      feedbackMissed: 'respuesta a la persona denunciante vencida',
      feedbackSoon: `respuesta a la persona denunciante en los próximos ${FEEDBACK_SOON} días`,
    }[what]}: ${count} ${count === 1 ? 'caso' : 'casos'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- URGENTE: la persona denunciante del caso ${id} informa de represalias.`,
      case_received: (id) => `- Llegó una denuncia nueva para su equipo (caso ${id}).`,
      reporter_wrote: (id) => `- La persona denunciante escribió un mensaje nuevo en el caso ${id}.`,
    },
    eventsHeading: 'Novedades en los casos de su equipo:',
    more: (count) => `- … y ${count} más.`,
    signIn: (url) => `Inicie sesión para verlo: ${url}`,
    footer: [
      'Este correo nunca contiene lo que dice una denuncia. Lo recibe porque dejó',
      'esta dirección en su cuenta de Ombud; puede cambiarla bajo su nombre, arriba a la derecha.',
    ],
  },
  id: {
    subject: 'Ombud: ada hal yang perlu Anda tangani',
    digestHeading: (date) => (date ? `Tenggat kasus tim Anda per ${date}:` : 'Tenggat kasus tim Anda:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'konfirmasi penerimaan terlambat',
      acknowledgeSoon: `konfirmasi penerimaan jatuh tempo dalam ${ACK_SOON} hari`,
      feedbackMissed: 'tanggapan kepada pelapor terlambat',
      feedbackSoon: `tanggapan kepada pelapor jatuh tempo dalam ${FEEDBACK_SOON} hari`,
    }[what]}: ${count} kasus (${ids})`,
    event: {
      retaliation_reported: (id) => `- MENDESAK: pelapor kasus ${id} melaporkan pembalasan.`,
      case_received: (id) => `- Laporan baru masuk untuk tim Anda (kasus ${id}).`,
      reporter_wrote: (id) => `- Pelapor menulis pesan baru pada kasus ${id}.`,
    },
    eventsHeading: 'Yang baru pada kasus tim Anda:',
    more: (count) => `- … dan ${count} lainnya.`,
    signIn: (url) => `Masuk untuk membacanya: ${url}`,
    footer: [
      'Surel ini tidak pernah memuat isi laporan. Anda menerimanya karena Anda',
      'mencantumkan alamat ini di akun Ombud Anda; ubah di bawah nama Anda, kanan atas.',
    ],
  },
  hi: {
    subject: 'Ombud: किसी बात पर आपका ध्यान चाहिए',
    digestHeading: (date) => (date ? `${date} को आपकी टीम के मामलों की समय-सीमाएँ:` : 'आपकी टीम के मामलों की समय-सीमाएँ:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'प्राप्ति की पुष्टि का समय निकल गया',
      acknowledgeSoon: `${ACK_SOON} दिन के अंदर प्राप्ति की पुष्टि करनी है`,
      feedbackMissed: 'शिकायतकर्ता को फ़ीडबैक देने का समय निकल गया',
      feedbackSoon: `${FEEDBACK_SOON} दिन के अंदर शिकायतकर्ता को फ़ीडबैक देना है`,
    }[what]}: ${count} ${count === 1 ? 'मामला' : 'मामले'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- तुरंत: मामला ${id} के शिकायतकर्ता ने बदले की कार्रवाई की शिकायत की है।`,
      case_received: (id) => `- आपकी टीम के लिए एक नई शिकायत आई है (मामला ${id})।`,
      reporter_wrote: (id) => `- मामला ${id} में शिकायतकर्ता ने नया संदेश लिखा है।`,
    },
    eventsHeading: 'आपकी टीम के मामलों में नया:',
    more: (count) => `- … और ${count}।`,
    signIn: (url) => `पढ़ने के लिए साइन इन करें: ${url}`,
    footer: [
      'इस ईमेल में कभी नहीं लिखा होता कि शिकायत में क्या है। यह आपको इसलिए मिला है क्योंकि आपने',
      'अपने Ombud खाते में यह पता दिया है; इसे ऊपर दाईं ओर अपने नाम के नीचे बदलें।',
    ],
  },
  ne: {
    subject: 'Ombud: कुनै कुरामा तपाईंको ध्यान चाहिएको छ',
    digestHeading: (date) => (date ? `${date} सम्मका तपाईंको टोलीका मामिलाहरूको समयसीमा:` : 'तपाईंको टोलीका मामिलाहरूको समयसीमा:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'प्राप्तिको पुष्टि गर्ने म्याद नाघेको',
      acknowledgeSoon: `${ACK_SOON} दिनभित्र प्राप्तिको पुष्टि गर्नुपर्ने`,
      feedbackMissed: 'उजुरीकर्तालाई जवाफ दिने म्याद नाघेको',
      feedbackSoon: `${FEEDBACK_SOON} दिनभित्र उजुरीकर्तालाई जवाफ दिनुपर्ने`,
    }[what]}: ${count} मामिला (${ids})`,
    event: {
      retaliation_reported: (id) => `- जरुरी: मामिला ${id} का उजुरीकर्ताले बदलाको कारबाही भएको बताउनुभएको छ।`,
      case_received: (id) => `- तपाईंको टोलीका लागि नयाँ उजुरी आएको छ (मामिला ${id})।`,
      reporter_wrote: (id) => `- मामिला ${id} मा उजुरीकर्ताले नयाँ सन्देश लेख्नुभएको छ।`,
    },
    eventsHeading: 'तपाईंको टोलीका मामिलाहरूमा नयाँ:',
    more: (count) => `- … र थप ${count}।`,
    signIn: (url) => `पढ्न साइन इन गर्नुहोस्: ${url}`,
    footer: [
      'यो इमेलमा उजुरीमा के लेखिएको छ भन्ने कुरा कहिल्यै हुँदैन। तपाईंले आफ्नो Ombud खातामा',
      'यो ठेगाना राख्नुभएकाले यो इमेल पाउनुभएको हो; माथि दायाँ आफ्नो नाममा गएर बदल्नुहोस्।',
    ],
  },
  ur: {
    subject: 'Ombud: کسی بات پر آپ کی توجہ درکار ہے',
    digestHeading: (date) => (date ? `${date} تک آپ کی ٹیم کے معاملات کی آخری تاریخیں:` : 'آپ کی ٹیم کے معاملات کی آخری تاریخیں:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'وصولی کی تصدیق کی مہلت گزر گئی',
      acknowledgeSoon: `${ACK_SOON} دن کے اندر وصولی کی تصدیق کرنی ہے`,
      feedbackMissed: 'شکایت کنندہ کو فیڈبیک دینے کی مہلت گزر گئی',
      feedbackSoon: `${FEEDBACK_SOON} دن کے اندر شکایت کنندہ کو فیڈبیک دینا ہے`,
    }[what]}: ${count} ${count === 1 ? 'معاملہ' : 'معاملات'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- فوری: معاملہ ${id} کے شکایت کنندہ نے انتقامی کارروائی کی شکایت کی ہے۔`,
      case_received: (id) => `- آپ کی ٹیم کے لیے ایک نئی شکایت آئی ہے (معاملہ ${id})۔`,
      reporter_wrote: (id) => `- معاملہ ${id} میں شکایت کنندہ نے نیا پیغام لکھا ہے۔`,
    },
    eventsHeading: 'آپ کی ٹیم کے معاملات میں نیا:',
    more: (count) => `- … اور ${count} مزید۔`,
    signIn: (url) => `پڑھنے کے لیے سائن اِن کریں: ${url}`,
    footer: [
      'اس ای میل میں کبھی نہیں ہوتا کہ شکایت میں کیا لکھا ہے۔ یہ آپ کو اس لیے ملی ہے کہ آپ نے',
      'اپنے Ombud اکاؤنٹ میں یہ پتا دیا ہے؛ اسے اوپر بائیں جانب اپنے نام کے نیچے بدلیں۔',
    ],
  },
};

function wordsFor(lang: WorkspaceLanguage | null | undefined): NoticeWords {
  return (lang && Object.hasOwn(WORDS, lang) ? WORDS[lang] : undefined) ?? WORDS.en;
}

/** The subject in the recipient's language (the same for every notice). */
export function noticeSubject(lang?: WorkspaceLanguage | null): string {
  return wordsFor(lang).subject;
}

function dateIn(lang: WorkspaceLanguage | null | undefined, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const locale = lang && Object.hasOwn(WORDS, lang) ? lang : 'en-GB';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

function headline(notice: Notice, words: NoticeWords, lang: WorkspaceLanguage | null | undefined): string[] {
  switch (notice.kind) {
    case 'events': {
      // Urgent first, then in the order of EVENT_KINDS.
      const ordered = [...notice.events].sort((a, b) => EVENT_KINDS.indexOf(a.kind) - EVENT_KINDS.indexOf(b.kind));
      const shown = ordered.slice(0, MAX_EVENT_LINES).map((e) => words.event[e.kind](e.caseShortId));
      const more = ordered.length - shown.length;
      return [words.eventsHeading, '', ...shown, ...(more > 0 ? [words.more(more)] : [])];
    }
    case 'digest': {
      const list = (ids: string[]) => ids.slice(0, MAX_EVENT_LINES).join(', ') + (ids.length > MAX_EVENT_LINES ? ', …' : '');
      const order = ['acknowledgeMissed', 'acknowledgeSoon', 'feedbackMissed', 'feedbackSoon'] as const;
      return [
        words.digestHeading(notice.day && dateIn(lang, notice.day)),
        '',
        ...order.flatMap((what) => {
          const ids = notice.counts[what];
          return ids.length === 0 ? [] : [words.digestLine(what, ids.length, list(ids))];
        }),
      ];
    }
    default:
      return assertNever(notice);
  }
}

/** The plain-text body, in the recipient's language (English if it has none or one not written here): what happened, where to read it, nothing more. */
export function noticeText(notice: Notice, publicUrl: string, lang?: WorkspaceLanguage | null): string {
  const words = wordsFor(lang);
  return [...headline(notice, words, lang), '', words.signIn(`${publicUrl}/team`), '', ...words.footer, ''].join('\n');
}

export function digestIsEmpty(counts: DigestCounts): boolean {
  return Object.values(counts).every((ids: string[]) => ids.length === 0);
}
