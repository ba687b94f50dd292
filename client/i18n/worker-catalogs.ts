/**
 * The worker catalogs, each its own chunk loaded on demand, in the picker's
 * order (the first is the fallback). A module of its own, without
 * ./index.ts's wait for the first catalog, so that the workspace
 * (client/team/prompts.ts) can load a worker catalog without becoming a
 * worker page.
 */
import type { Catalog } from './core.ts';
import type { MessageKey } from './en.ts';

type Loader = () => Promise<Catalog<MessageKey>>;

/** The worker languages, in the picker's order. The first one is the fallback. */
export const WORKER_CATALOGS = {
  en: () => import('./en.ts').then((m) => m.en),
  'zh-CN': () => import('./zh-CN.ts').then((m) => m.zhCN),
  vi: () => import('./vi.ts').then((m) => m.vi),
  id: () => import('./id.ts').then((m) => m.id),
  hi: () => import('./hi.ts').then((m) => m.hi),
  es: () => import('./es.ts').then((m) => m.es),
  th: () => import('./th.ts').then((m) => m.th),
  ms: () => import('./ms.ts').then((m) => m.ms),
  bn: () => import('./bn.ts').then((m) => m.bn),
  km: () => import('./km.ts').then((m) => m.km),
  my: () => import('./my.ts').then((m) => m.my),
  ne: () => import('./ne.ts').then((m) => m.ne),
  ur: () => import('./ur.ts').then((m) => m.ur),
  ta: () => import('./ta.ts').then((m) => m.ta),
  te: () => import('./te.ts').then((m) => m.te),
  tl: () => import('./tl.ts').then((m) => m.tl),
  'pt-BR': () => import('./pt-BR.ts').then((m) => m.ptBR),
  tr: () => import('./tr.ts').then((m) => m.tr),
} as const satisfies Record<string, Loader>;
