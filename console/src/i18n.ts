// Every text of the console in both languages. `zh` is typed by `en`'s keys: a text missing in either
// language fails the build (tsc), so no page shows a key or half a translation.

import { en as complaintEn, zh as complaintZh } from "./complaint/texts";
import { en as oversightEn, zh as oversightZh } from "./oversight/texts";

export type Lang = "en" | "zh-CN";
export const LANGS: readonly Lang[] = ["en", "zh-CN"];
const STORAGE_KEY = "cg.lang";

const core = {
  appName: "complaint-guard",
  language: "Language",
  signIn: "Sign in",
  signOut: "Sign out",
  signInTitle: "Sign in to the complaints workbench",
  signInHostedIntro: "You sign in with your bank account on the sign-in page of the user pool.",
  signInLocalIntro: "Local runtime: pick a role. Each is a token of the local stand-in for Cognito.",
  signingIn: "Signing in…",
  signInFailed: "Sign-in failed: {reason}",
  sessionExpired: "Your session has ended. Please sign in again.",
  loading: "Loading…",
  role_agent: "Agent",
  role_supervisor: "Supervisor",
  role_manager: "Manager",
  role_compliance: "Compliance",
  role_agent_other_team: "Agent (another team)",
  teamsOf: "Teams: {teams}",
  noTeams: "no team",
  queues: "Queues",
  areas: "Workbench",
  search: "Search",
  searchReference: "Reference",
  searchGo: "Open",
  searchInvalid: "A reference looks like CG-261201-ABC123.",
  searchNotFound: "No complaint {reference} that you may read.",
  queueMine: "My queue",
  queueTeam: "Team queue",
  queueUnassigned: "Unassigned",
  queueMineHint: "Open complaints assigned to you, the next deadline first.",
  queueTeamHint: "Open complaints of your teams, the next deadline first.",
  queueUnassignedHint: "Open complaints nobody has taken yet, the next deadline first.",
  filters: "Filters",
  team: "Team",
  allMyTeams: "All my teams",
  priority: "Priority",
  flag: "Risk flag",
  dueBefore: "Due before",
  any: "Any",
  apply: "Apply",
  clear: "Clear",
  refresh: "Refresh",
  empty: "Nothing here.",
  loadFailed: "Could not load the queue: {message}",
  count: "{count} complaints",
  colReference: "Reference",
  colStatus: "Status",
  colNextDeadline: "Next deadline",
  colTimeLeft: "Time left",
  colEscalation: "Escalation",
  colPriority: "Priority",
  colFlags: "Risk flags",
  colChannel: "Channel",
  colAssignee: "Assignee",
  colAction: "Action",
  take: "Take",
  taken: "{reference} is now yours.",
  takeStale: "{reference} changed meanwhile; the queue is reloaded: take it again if it is still free.",
  takeFailed: "Could not take {reference}: {message}",
  deadline_firstResponse: "First response",
  deadline_solutionPlan: "Solution plan",
  deadline_resolution: "Resolution",
  paused: "Paused until {until}",
  noDeadline: "—",
  left: "{duration} left",
  overdue: "{duration} overdue",
  days: "{n} d",
  hours: "{n} h",
  minutes: "{n} min",
  level: "Level {n}",
  levelNone: "None",
  unassigned: "Unassigned",
  status_received: "Received",
  status_acknowledged: "Acknowledged",
  status_in_progress: "In progress",
  status_awaiting_customer: "Awaiting customer",
  status_resolved: "Resolved",
  status_closed: "Closed",
  status_withdrawn: "Withdrawn",
  priority_normal: "Normal",
  priority_high: "High",
  priority_critical: "Critical",
  flag_regulator: "Regulator",
  flag_litigation: "Litigation",
  flag_media: "Media",
  flag_vulnerable: "Vulnerable customer",
  flag_fraud: "Fraud",
  flag_discrimination: "Discrimination",
  flag_repeat: "Repeat",
  channel_counter: "Branch counter",
  channel_phone_banking: "Phone banking",
  channel_online_banking: "Online banking",
  channel_mobile_app: "Mobile app",
  channel_hotline: "Hotline",
  channel_email: "E-mail",
  channel_self_service: "Self-service",
  timesIn: "Times in your time zone ({zone}).",
};

const en = { ...core, ...complaintEn, ...oversightEn };
export type Key = keyof typeof en;

const coreZh: Record<keyof typeof core, string> = {
  appName: "投诉卫士",
  language: "语言",
  signIn: "登录",
  signOut: "退出登录",
  signInTitle: "登录投诉工作台",
  signInHostedIntro: "请在用户池的登录页面使用您的银行账户登录。",
  signInLocalIntro: "本地运行环境：请选择一个角色。每个角色对应本地 Cognito 替身签发的令牌。",
  signingIn: "正在登录…",
  signInFailed: "登录失败：{reason}",
  sessionExpired: "会话已结束，请重新登录。",
  loading: "加载中…",
  role_agent: "处理专员",
  role_supervisor: "主管",
  role_manager: "经理",
  role_compliance: "合规",
  role_agent_other_team: "处理专员（其他团队）",
  teamsOf: "团队：{teams}",
  noTeams: "无团队",
  queues: "工作队列",
  areas: "工作台",
  search: "查找",
  searchReference: "投诉编号",
  searchGo: "打开",
  searchInvalid: "投诉编号格式如 CG-261201-ABC123。",
  searchNotFound: "没有您可查看的投诉 {reference}。",
  queueMine: "我的队列",
  queueTeam: "团队队列",
  queueUnassigned: "待分配",
  queueMineHint: "分配给您的未结投诉，最近的时限在前。",
  queueTeamHint: "您所在团队的未结投诉，最近的时限在前。",
  queueUnassignedHint: "尚无人受理的未结投诉，最近的时限在前。",
  filters: "筛选",
  team: "团队",
  allMyTeams: "我的全部团队",
  priority: "优先级",
  flag: "风险标记",
  dueBefore: "到期早于",
  any: "全部",
  apply: "应用",
  clear: "清除",
  refresh: "刷新",
  empty: "暂无投诉。",
  loadFailed: "无法加载队列：{message}",
  count: "共 {count} 件投诉",
  colReference: "编号",
  colStatus: "状态",
  colNextDeadline: "下一个时限",
  colTimeLeft: "剩余时间",
  colEscalation: "升级级别",
  colPriority: "优先级",
  colFlags: "风险标记",
  colChannel: "渠道",
  colAssignee: "处理人",
  colAction: "操作",
  take: "受理",
  taken: "{reference} 已由您受理。",
  takeStale: "{reference} 已被他人更新，队列已刷新；如仍未分配，请重新受理。",
  takeFailed: "无法受理 {reference}：{message}",
  deadline_firstResponse: "首次答复",
  deadline_solutionPlan: "解决方案",
  deadline_resolution: "办结",
  paused: "暂停至 {until}",
  noDeadline: "—",
  left: "剩余 {duration}",
  overdue: "已超时 {duration}",
  days: "{n} 天",
  hours: "{n} 小时",
  minutes: "{n} 分钟",
  level: "{n} 级",
  levelNone: "无",
  unassigned: "未分配",
  status_received: "已受理",
  status_acknowledged: "已确认",
  status_in_progress: "处理中",
  status_awaiting_customer: "等待客户",
  status_resolved: "已解决",
  status_closed: "已关闭",
  status_withdrawn: "已撤回",
  priority_normal: "普通",
  priority_high: "高",
  priority_critical: "紧急",
  flag_regulator: "监管",
  flag_litigation: "诉讼",
  flag_media: "媒体",
  flag_vulnerable: "弱势客户",
  flag_fraud: "欺诈",
  flag_discrimination: "歧视",
  flag_repeat: "重复投诉",
  channel_counter: "网点柜台",
  channel_phone_banking: "电话银行",
  channel_online_banking: "网上银行",
  channel_mobile_app: "手机银行",
  channel_hotline: "客服热线",
  channel_email: "电子邮件",
  channel_self_service: "自助设备",
  timesIn: "时间以您的时区显示（{zone}）。",
};

const zh: Record<Key, string> = { ...coreZh, ...complaintZh, ...oversightZh };
const TEXTS: Record<Lang, Record<Key, string>> = { en, "zh-CN": zh };

/** The viewer's language: their earlier choice, else the browser's (Chinese or English). */
export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "en" || stored === "zh-CN") return stored;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function rememberLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export type Translate = (key: Key, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, values) => {
    let text = TEXTS[lang][key];
    for (const [name, value] of Object.entries(values ?? {})) {
      text = text.replaceAll(`{${name}}`, String(value));
    }
    return text;
  };
}

/** A key built from data (a status, a channel …), when the text exists; else the value itself. */
export function known(prefix: string, value: string): Key | null {
  const key = `${prefix}_${value}`;
  return key in en ? (key as Key) : null;
}
