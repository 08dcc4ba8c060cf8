// The status bar text for a document, from the server's `nianbao/reportInfo` answer.
//
// Pure module: no `vscode` import, so it runs under plain node (`npm test`).

/** `nianbao/reportInfo {uri}` → this (crates/nianbao-lsp/src/server.rs). */
export interface ReportInfo {
  isReport: boolean;
  year?: number | null;
  /** "v2019" | "v2021" | "hybrid" | "unknown" */
  format?: string;
  errors?: number;
  warnings?: number;
  infos?: number;
  version?: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

const FORMAT_LABEL: Record<string, string> = { v2019: 'v2019', v2021: 'v2021', hybrid: '混合格式' };
const FORMAT_TIP: Record<string, string> = {
  v2019: '2019 年格式（国办公开办函〔2019〕60号）/ 2019 format',
  v2021: '2021 年格式（国办公开办函〔2021〕30号）/ 2021 format',
  hybrid: '2019 与 2021 年格式混用 / mixed 2019 and 2021 formats',
};

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** The status bar item for a report, or undefined (hidden) when it is not one. */
export function statusView(info: ReportInfo | null | undefined): StatusView | undefined {
  if (!info || info.isReport !== true) return undefined;
  const errors = count(info.errors);
  const warnings = count(info.warnings);
  const infos = count(info.infos);
  const year = typeof info.year === 'number' ? String(info.year) : '';
  const format = info.format ? FORMAT_LABEL[info.format] : undefined;
  const parts = [year ? `年报 ${year}` : '年报'];
  if (format) parts.push(format);
  parts.push(`✗${errors} ⚠${warnings}`);
  const tip = [
    year ? `${year} 年度政府信息公开工作年度报告 / annual report for ${year}` : '政府信息公开工作年度报告 / annual report (year not found)',
    info.format && FORMAT_TIP[info.format] ? `格式 / format: ${FORMAT_TIP[info.format]}` : '格式未能识别 / format not recognised',
    `${errors} 个错误，${warnings} 个警告，${infos} 个提示 / ${errors} error(s), ${warnings} warning(s), ${infos} info`,
    '点击打开“问题”面板 / Click to open the Problems panel',
  ];
  return { text: parts.join(' · '), tooltip: tip.join('\n') };
}

/** The year a new report is usually written for: last year (reports are due by 31 January). */
export function defaultSkeletonYear(now: Date = new Date()): number {
  return Math.max(2021, now.getFullYear() - 1);
}

/** Validates the year typed into the skeleton input box; returns an error message or undefined. */
export function checkSkeletonYear(s: string): string | undefined {
  const t = s.trim();
  if (!/^\d{4}$/.test(t)) return '请输入四位年份，如 2024 / Enter a four-digit year, e.g. 2024';
  const y = Number(t);
  if (y < 2021 || y > 2100) return '年份应在 2021–2100 之间 / The year must be between 2021 and 2100';
  return undefined;
}
