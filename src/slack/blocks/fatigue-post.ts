/**
 * The on-call fatigue report: people and schedules at risk, the factors behind each score, and what to do.
 */
import type { FatigueResult, RiskLevel } from '../../ai/contract.js';
import { fallbackText, mrkdwn } from '../text.js';
import { type AiMeta, bullets, engineNote } from './ai-common.js';
import { context, divider, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

const RISK_EMOJI: Record<RiskLevel, string> = { low: '🟢', moderate: '🟡', high: '🟠', critical: '🔴' };
const MAX_PEOPLE = 10;

/** Builds the fatigue report (`title` names the schedule or "all schedules"). */
export function buildFatiguePost(title: string, result: FatigueResult, meta: AiMeta): MessagePayload {
  const blocks: Block[] = [section(`*😴 On-call fatigue* · ${mrkdwn(title, 200)} · last ${result.windowDays} days`)];
  const people = [...result.people].sort((a, b) => b.score - a.score);
  if (people.length === 0) blocks.push(section('_Nobody was paged in this window._'));
  for (const p of people.slice(0, MAX_PEOPLE)) {
    const f = p.factors;
    const facts = [
      `${f.pages} pages`,
      `${f.offHoursPages} off-hours`,
      `${f.sleepHourPages} during sleep`,
      `${f.consecutiveOnCallDays} days on call in a row`,
      f.ackTrend !== 'unknown' ? `ack time ${f.ackTrend}` : '',
    ].filter((s) => s !== '');
    blocks.push(
      section(
        `${RISK_EMOJI[p.riskLevel]} *${mrkdwn(p.name, 200)}* · ${p.riskLevel} (${Math.round(p.score)}/100)\n${facts.join(' · ')}${p.recommendations[0] ? `\n↳ ${mrkdwn(p.recommendations[0], 300)}` : ''}`,
      ),
    );
  }
  if (people.length > MAX_PEOPLE) blocks.push(context([`+${people.length - MAX_PEOPLE} more people at lower risk`]));
  if (result.schedules.length > 0) {
    blocks.push(divider());
    for (const s of result.schedules.slice(0, 8)) {
      blocks.push(
        section(
          `${RISK_EMOJI[s.riskLevel]} *${mrkdwn(s.name, 200)}* · ${s.riskLevel} (${Math.round(s.score)}/100)\n${bullets(s.recommendations, 3, 250)}`,
        ),
      );
    }
  }
  blocks.push(context([engineNote(meta)]));
  const atRisk = people.filter((p) => p.riskLevel === 'high' || p.riskLevel === 'critical').length;
  return { text: fallbackText(`On-call fatigue for ${title}: ${atRisk} at high risk`), blocks };
}
