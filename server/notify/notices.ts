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

/** A count in the language's own digits (Bengali writes ০–৯, Burmese ၀–၉), as its dates are. */
function digits(lang: string, n: number): string {
  return new Intl.NumberFormat(lang).format(n);
}
const myanmarDigits = (n: number) => digits('my', n);

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
  'pt-BR': {
    subject: 'Ombud: algo precisa da sua atenção',
    digestHeading: (date) => (date ? `Prazos dos casos da sua equipe em ${date}:` : 'Prazos dos casos da sua equipe:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'confirmação de recebimento atrasada',
      acknowledgeSoon: `confirmação de recebimento a vencer em até ${ACK_SOON} dias`,
      feedbackMissed: 'retorno ao relator atrasado',
      feedbackSoon: `retorno ao relator a vencer em até ${FEEDBACK_SOON} dias`,
    }[what]}: ${count} ${count === 1 ? 'caso' : 'casos'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- URGENTE: o relator do caso ${id} informa que está sofrendo retaliação.`,
      case_received: (id) => `- Chegou um novo relato para a sua equipe (caso ${id}).`,
      reporter_wrote: (id) => `- O relator escreveu uma nova mensagem no caso ${id}.`,
    },
    eventsHeading: 'Novidades nos casos da sua equipe:',
    more: (count) => `- … e mais ${count}.`,
    signIn: (url) => `Entre para ler: ${url}`,
    footer: [
      'Esta mensagem nunca contém o que um relato diz. Você a recebe porque deixou',
      'este endereço na sua conta do Ombud; para alterá-lo, clique no seu nome, no canto superior direito.',
    ],
  },
  tr: {
    subject: 'Ombud: ilgilenmeniz gereken bir konu var',
    digestHeading: (date) => (date ? `Ekibinizin vakalarındaki süreler, ${date}:` : 'Ekibinizin vakalarındaki süreler:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'alındı bildirimi süresi geçti',
      acknowledgeSoon: `alındı bildirimi ${ACK_SOON} gün içinde yapılmalı`,
      feedbackMissed: 'şikâyetçiye geri bildirim süresi geçti',
      feedbackSoon: `şikâyetçiye geri bildirim ${FEEDBACK_SOON} gün içinde verilmeli`,
    }[what]}: ${count} vaka (${ids})`,
    event: {
      retaliation_reported: (id) => `- ACİL: ${id} numaralı vakanın şikâyetçisi misilleme bildiriyor.`,
      case_received: (id) => `- Ekibinize yeni bir şikâyet geldi (vaka ${id}).`,
      reporter_wrote: (id) => `- Şikâyetçi, ${id} numaralı vakada yeni bir mesaj yazdı.`,
    },
    eventsHeading: 'Ekibinizin vakalarındaki yenilikler:',
    more: (count) => `- … ve ${count} tane daha.`,
    signIn: (url) => `Okumak için giriş yapın: ${url}`,
    footer: [
      'Bu e-posta hiçbir zaman bir şikâyetin içeriğini taşımaz. Bu adresi Ombud hesabınıza',
      'yazdığınız için alıyorsunuz; değiştirmek için sağ üstte adınıza tıklayın.',
    ],
  },
  ms: {
    subject: 'Ombud: ada perkara yang perlu anda uruskan',
    digestHeading: (date) => (date ? `Tarikh akhir kes pasukan anda pada ${date}:` : 'Tarikh akhir kes pasukan anda:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'pengesahan penerimaan telah lewat',
      acknowledgeSoon: `pengesahan penerimaan perlu dibuat dalam ${ACK_SOON} hari`,
      feedbackMissed: 'maklum balas kepada pelapor telah lewat',
      feedbackSoon: `maklum balas kepada pelapor perlu diberi dalam ${FEEDBACK_SOON} hari`,
    }[what]}: ${count} kes (${ids})`,
    event: {
      retaliation_reported: (id) => `- MENDESAK: pelapor kes ${id} memaklumkan tindakan balas terhadapnya.`,
      case_received: (id) => `- Laporan baharu diterima untuk pasukan anda (kes ${id}).`,
      reporter_wrote: (id) => `- Pelapor menulis mesej baharu dalam kes ${id}.`,
    },
    eventsHeading: 'Perkembangan baharu dalam kes pasukan anda:',
    more: (count) => `- … dan ${count} lagi.`,
    signIn: (url) => `Log masuk untuk membacanya: ${url}`,
    footer: [
      'E-mel ini tidak sekali-kali mengandungi isi laporan. Anda menerimanya kerana anda',
      'memberikan alamat ini dalam akaun Ombud anda; tukar di bawah nama anda, di kanan atas.',
    ],
  },
  tl: {
    subject: 'Ombud: may kailangan kang asikasuhin',
    digestHeading: (date) => (date ? `Mga deadline ng mga kaso ng team mo sa ${date}:` : 'Mga deadline ng mga kaso ng team mo:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'lampas na ang deadline ng pagkumpirma ng pagtanggap',
      acknowledgeSoon: `kumpirmahin ang pagtanggap sa loob ng ${ACK_SOON} araw`,
      feedbackMissed: 'lampas na ang deadline ng tugon sa nagreklamo',
      feedbackSoon: `magbigay ng tugon sa nagreklamo sa loob ng ${FEEDBACK_SOON} araw`,
    }[what]}: ${count} kaso (${ids})`,
    event: {
      retaliation_reported: (id) => `- URGENT: sinabi ng nagreklamo sa kaso ${id} na pinarurusahan siya dahil nagreklamo.`,
      case_received: (id) => `- May bagong reklamo para sa team mo (kaso ${id}).`,
      reporter_wrote: (id) => `- Sumulat ng bagong mensahe ang nagreklamo sa kaso ${id}.`,
    },
    eventsHeading: 'Bago sa mga kaso ng team mo:',
    more: (count) => `- … at ${count} pa.`,
    signIn: (url) => `Buksan ang workspace para mabasa ito: ${url}`,
    footer: [
      'Hindi kailanman nakasulat sa e-mail na ito ang sinasabi ng reklamo. Natanggap mo ito dahil',
      'ibinigay mo ang e-mail mo sa Ombud; mapapalitan mo ito sa ilalim ng pangalan mo, sa kanang itaas.',
    ],
  },
  th: {
    subject: 'Ombud: มีเรื่องที่คุณต้องดำเนินการ',
    digestHeading: (date) => (date ? `กำหนดเวลาของกรณีในทีมของคุณ ณ วันที่ ${date}:` : 'กำหนดเวลาของกรณีในทีมของคุณ:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'เลยกำหนดตอบรับเรื่องแล้ว',
      acknowledgeSoon: `ต้องตอบรับเรื่องภายใน ${ACK_SOON} วัน`,
      feedbackMissed: 'เลยกำหนดแจ้งผลให้ผู้ร้องเรียนแล้ว',
      feedbackSoon: `ต้องแจ้งผลให้ผู้ร้องเรียนภายใน ${FEEDBACK_SOON} วัน`,
    }[what]}: ${count} กรณี (${ids})`,
    event: {
      retaliation_reported: (id) => `- ด่วน: ผู้ร้องเรียนของกรณี ${id} แจ้งว่าถูกกลั่นแกล้งตอบโต้`,
      case_received: (id) => `- มีเรื่องร้องเรียนใหม่ถึงทีมของคุณ (กรณี ${id})`,
      reporter_wrote: (id) => `- ผู้ร้องเรียนส่งข้อความใหม่ในกรณี ${id}`,
    },
    eventsHeading: 'ความเคลื่อนไหวใหม่ในกรณีของทีมคุณ:',
    more: (count) => `- … และอีก ${count} รายการ`,
    signIn: (url) => `เข้าสู่ระบบเพื่ออ่าน: ${url}`,
    footer: [
      'อีเมลนี้ไม่มีเนื้อหาของเรื่องร้องเรียนใด ๆ คุณได้รับอีเมลนี้เพราะคุณ',
      'ใส่อีเมลนี้ไว้ในบัญชี Ombud ของคุณ เปลี่ยนได้ที่ชื่อของคุณ มุมขวาบน',
    ],
  },
  km: {
    subject: 'Ombud៖ មានរឿងត្រូវការការយកចិត្តទុកដាក់របស់អ្នក',
    digestHeading: (date) => (date ? `ថ្ងៃកំណត់នៃសំណុំរឿងរបស់ក្រុមអ្នក គិតត្រឹម ${date}៖` : 'ថ្ងៃកំណត់នៃសំណុំរឿងរបស់ក្រុមអ្នក៖'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'ហួសកំណត់បញ្ជាក់ការទទួល',
      acknowledgeSoon: `ត្រូវបញ្ជាក់ការទទួលក្នុងរយៈពេល ${ACK_SOON} ថ្ងៃ`,
      feedbackMissed: 'ហួសកំណត់ឆ្លើយតបទៅអ្នកដាក់បណ្ដឹង',
      feedbackSoon: `ត្រូវឆ្លើយតបទៅអ្នកដាក់បណ្ដឹងក្នុងរយៈពេល ${FEEDBACK_SOON} ថ្ងៃ`,
    }[what]}៖ សំណុំរឿង ${count} (${ids})`,
    event: {
      retaliation_reported: (id) => `- បន្ទាន់៖ អ្នកដាក់បណ្ដឹងនៃសំណុំរឿង ${id} ប្រាប់ថាត្រូវគេសងសឹក។`,
      case_received: (id) => `- មានបណ្ដឹងថ្មីសម្រាប់ក្រុមរបស់អ្នក (សំណុំរឿង ${id})។`,
      reporter_wrote: (id) => `- អ្នកដាក់បណ្ដឹងបានសរសេរសារថ្មីក្នុងសំណុំរឿង ${id}។`,
    },
    eventsHeading: 'ព័ត៌មានថ្មីក្នុងសំណុំរឿងរបស់ក្រុមអ្នក៖',
    more: (count) => `- … និង ${count} ទៀត។`,
    signIn: (url) => `សូមចូលដើម្បីអាន៖ ${url}`,
    footer: [
      'អ៊ីមែលនេះមិនដែលមានខ្លឹមសារនៃបណ្ដឹងទេ។ អ្នកទទួលវា ព្រោះអ្នកបានទុក',
      'អាសយដ្ឋាននេះក្នុងគណនី Ombud របស់អ្នក។ អ្នកអាចប្ដូរវានៅក្រោមឈ្មោះរបស់អ្នក ខាងស្ដាំផ្នែកខាងលើ។',
    ],
  },
  // Burmese counts in Myanmar digits, as the dates Intl writes for my (the short case ids stay as the workspace shows them).
  my: {
    subject: 'Ombud- သင် ဂရုစိုက်ရမည့် ကိစ္စ ရှိသည်',
    digestHeading: (date) => (date ? `${date} ရက်နေ့အထိ သင့်အဖွဲ့၏ ကိစ္စများ၏ သတ်မှတ်ရက်များ-` : 'သင့်အဖွဲ့၏ ကိစ္စများ၏ သတ်မှတ်ရက်များ-'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'လက်ခံကြောင်း အတည်ပြုရမည့်ရက် ကျော်လွန်ပြီ',
      acknowledgeSoon: `${myanmarDigits(ACK_SOON)} ရက်အတွင်း လက်ခံကြောင်း အတည်ပြုရမည်`,
      feedbackMissed: 'တိုင်ကြားသူထံ အကြောင်းပြန်ရမည့်ရက် ကျော်လွန်ပြီ',
      feedbackSoon: `${myanmarDigits(FEEDBACK_SOON)} ရက်အတွင်း တိုင်ကြားသူထံ အကြောင်းပြန်ရမည်`,
    }[what]}- ကိစ္စ ${myanmarDigits(count)} ခု (${ids})`,
    event: {
      retaliation_reported: (id) => `- အရေးပေါ်- ကိစ္စ ${id} ၏ တိုင်ကြားသူက လက်စားချေခံရကြောင်း တိုင်ကြားသည်။`,
      case_received: (id) => `- သင့်အဖွဲ့ထံ တိုင်ကြားချက်အသစ် ရောက်လာသည် (ကိစ္စ ${id})။`,
      reporter_wrote: (id) => `- ကိစ္စ ${id} တွင် တိုင်ကြားသူက စာအသစ် ရေးထားသည်။`,
    },
    eventsHeading: 'သင့်အဖွဲ့၏ ကိစ္စများတွင် အသစ်-',
    more: (count) => `- … နှင့် နောက်ထပ် ${myanmarDigits(count)} ခု။`,
    signIn: (url) => `ဖတ်ရန် ဝင်ရောက်ပါ- ${url}`,
    footer: [
      'ဤအီးမေးလ်တွင် တိုင်ကြားချက်၏ အကြောင်းအရာ ဘယ်တော့မှ မပါပါ။ သင်သည် ဤလိပ်စာကို',
      'Ombud အကောင့်တွင် ထည့်ထားသဖြင့် ရရှိခြင်း ဖြစ်သည်၊ ညာဘက်အပေါ်ရှိ သင့်အမည်အောက်တွင် ပြောင်းနိုင်သည်။',
    ],
  },
  bn: {
    subject: 'Ombud: একটি বিষয়ে আপনার মনোযোগ প্রয়োজন',
    digestHeading: (date) => (date ? `${date} তারিখে আপনার দলের কেসের সময়সীমা:` : 'আপনার দলের কেসের সময়সীমা:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'প্রাপ্তি স্বীকারের সময় পেরিয়ে গেছে',
      acknowledgeSoon: `${digits('bn', ACK_SOON)} দিনের মধ্যে প্রাপ্তি স্বীকার করতে হবে`,
      feedbackMissed: 'অভিযোগকারীকে ফিডব্যাক দেওয়ার সময় পেরিয়ে গেছে',
      feedbackSoon: `${digits('bn', FEEDBACK_SOON)} দিনের মধ্যে অভিযোগকারীকে ফিডব্যাক দিতে হবে`,
    }[what]}: ${digits('bn', count)}টি কেস (${ids})`,
    event: {
      retaliation_reported: (id) => `- জরুরি: কেস ${id}-এর অভিযোগকারী প্রতিশোধমূলক শাস্তির কথা জানিয়েছেন।`,
      case_received: (id) => `- আপনার দলের জন্য একটি নতুন অভিযোগ এসেছে (কেস ${id})।`,
      reporter_wrote: (id) => `- কেস ${id}-এ অভিযোগকারী একটি নতুন মেসেজ লিখেছেন।`,
    },
    eventsHeading: 'আপনার দলের কেসে নতুন যা ঘটেছে:',
    more: (count) => `- … এবং আরও ${digits('bn', count)}টি।`,
    signIn: (url) => `পড়তে সাইন ইন করুন: ${url}`,
    footer: [
      'এই ইমেইলে কখনো কোনো অভিযোগের বিষয়বস্তু থাকে না। আপনি এটি পাচ্ছেন, কারণ আপনি',
      'আপনার Ombud অ্যাকাউন্টে এই ঠিকানা দিয়েছেন; ওপরে ডানদিকে আপনার নামের নিচে এটি বদলাতে পারেন।',
    ],
  },
  ta: {
    subject: 'Ombud: உங்கள் கவனம் தேவைப்படும் ஒன்று உள்ளது',
    digestHeading: (date) => (date ? `${date} நிலவரப்படி உங்கள் குழுவின் விவகாரங்களின் காலக்கெடுக்கள்:` : 'உங்கள் குழுவின் விவகாரங்களின் காலக்கெடுக்கள்:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'பெற்றதை உறுதிசெய்யும் காலக்கெடு கடந்தது',
      acknowledgeSoon: `${ACK_SOON} நாட்களுக்குள் பெற்றதை உறுதிசெய்ய வேண்டும்`,
      feedbackMissed: 'புகார்தாரருக்குப் பின்னூட்டம் தரும் காலக்கெடு கடந்தது',
      feedbackSoon: `${FEEDBACK_SOON} நாட்களுக்குள் புகார்தாரருக்குப் பின்னூட்டம் தர வேண்டும்`,
    }[what]}: ${count} ${count === 1 ? 'விவகாரம்' : 'விவகாரங்கள்'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- அவசரம்: விவகாரம் ${id}-இன் புகார்தாரர் பழிவாங்கும் தண்டனை பற்றித் தெரிவிக்கிறார்.`,
      case_received: (id) => `- உங்கள் குழுவுக்கு ஒரு புதிய புகார் வந்துள்ளது (விவகாரம் ${id}).`,
      reporter_wrote: (id) => `- விவகாரம் ${id}-இல் புகார்தாரர் ஒரு புதிய செய்தி எழுதியுள்ளார்.`,
    },
    eventsHeading: 'உங்கள் குழுவின் விவகாரங்களில் புதியவை:',
    more: (count) => `- … மேலும் ${count}.`,
    signIn: (url) => `படிக்க உள்நுழையுங்கள்: ${url}`,
    footer: [
      'இந்த மின்னஞ்சலில் புகாரின் உள்ளடக்கம் ஒருபோதும் இருக்காது. உங்கள் Ombud கணக்கில்',
      'இந்த முகவரியைத் தந்ததால் இது உங்களுக்கு வருகிறது; மேலே வலப்பக்கம் உங்கள் பெயரின் கீழ் இதை மாற்றலாம்.',
    ],
  },
  te: {
    subject: 'Ombud: మీ దృష్టి అవసరమైన విషయం ఉంది',
    digestHeading: (date) => (date ? `${date} నాటికి మీ బృందం కేసుల గడువులు:` : 'మీ బృందం కేసుల గడువులు:'),
    digestLine: (what, count, ids) => `- ${{
      acknowledgeMissed: 'అందినట్లు నిర్ధారించే గడువు దాటింది',
      acknowledgeSoon: `${ACK_SOON} రోజుల్లో అందినట్లు నిర్ధారించాలి`,
      feedbackMissed: 'ఫిర్యాదుదారుకు ఫీడ్‌బ్యాక్ ఇచ్చే గడువు దాటింది',
      feedbackSoon: `${FEEDBACK_SOON} రోజుల్లో ఫిర్యాదుదారుకు ఫీడ్‌బ్యాక్ ఇవ్వాలి`,
    }[what]}: ${count} ${count === 1 ? 'కేసు' : 'కేసులు'} (${ids})`,
    event: {
      retaliation_reported: (id) => `- అత్యవసరం: కేసు ${id} ఫిర్యాదుదారు ప్రతీకార శిక్ష గురించి తెలుపుతున్నారు.`,
      case_received: (id) => `- మీ బృందానికి కొత్త ఫిర్యాదు వచ్చింది (కేసు ${id}).`,
      reporter_wrote: (id) => `- కేసు ${id}లో ఫిర్యాదుదారు కొత్త సందేశం రాశారు.`,
    },
    eventsHeading: 'మీ బృందం కేసుల్లో కొత్తవి:',
    more: (count) => `- … ఇంకా ${count}.`,
    signIn: (url) => `చదవడానికి సైన్ ఇన్ చేయండి: ${url}`,
    footer: [
      'ఈ ఈమెయిల్‌లో ఫిర్యాదులోని విషయం ఎప్పుడూ ఉండదు. మీ Ombud ఖాతాలో ఈ చిరునామా',
      'ఇచ్చినందున ఇది మీకు వస్తోంది; పైన కుడివైపు మీ పేరు కింద దీన్ని మార్చవచ్చు.',
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
