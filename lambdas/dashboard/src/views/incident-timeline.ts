import type { IncidentDetailAnswer } from '../../../contracts/api-answers.js';
import { html } from '../html.js';
import { layoutTimeline, timelineClocks, type TimelineRow } from '../timeline-layout.js';

/**
 * The incident's clocks in one picture (issue 25 §2), drawn from timeline-layout.ts's shapes as inline SVG: every
 * position is an SVG attribute and every colour and pattern comes from app.css (the content security policy has
 * no inline styles). Targets are dashed and say "target"; past a deadline the bar is hatched and says "OVERDUE";
 * the words beside each bar carry everything the colours do, so the picture reads in black and white on paper.
 */

const rowClass = (row: TimelineRow) => `tl-row tl-${row.state} tl-${row.kind}`;

function bar(row: TimelineRow, left: number) {
  const mid = row.barY + row.barHeight / 2;
  return html`<g key=${row.key} class=${rowClass(row)} data-regime=${row.regime} data-obligation=${row.obligation} data-state=${row.state}>
    <title>${`${row.name}: ${row.caption}`}</title>
    <text class="tl-label" x=${left}>
      ${row.nameLines.map((line, i) => html`<tspan key=${`n${i}`} class="tl-name" x=${left} y=${line.y}>${line.text}</tspan>`)}
      ${row.captionLines.map((line, i) => html`<tspan key=${`c${i}`} class="tl-caption" x=${left} y=${line.y}>${line.text}</tspan>`)}
    </text>
    ${row.window
      ? html`<rect class="tl-window" x=${row.window.x} y=${row.barY} width=${Math.max(row.window.width, 2)} height=${row.barHeight}></rect>
          ${row.elapsed ? html`<rect class="tl-elapsed" x=${row.elapsed.x} y=${row.barY} width=${row.elapsed.width} height=${row.barHeight}></rect>` : null}`
      : null}
    ${row.late
      ? html`<rect class=${row.kind === 'target' ? 'tl-late tl-target-passed' : 'tl-late tl-overdue-part'} x=${row.late.x} y=${row.barY - 2} width=${Math.max(row.late.width, 3)} height=${row.barHeight + 4}
          ><title>${row.kind === 'target' ? 'Past the target (no legal deadline)' : 'Overdue: past the legal deadline'}</title></rect
        >`
      : null}
    ${row.deadlineX !== null ? html`<line class="tl-deadline" x1=${row.deadlineX} x2=${row.deadlineX} y1=${row.barY - 4} y2=${row.barY + row.barHeight + 4}></line>` : null}
    ${row.steps.map(
      (step, i) => html`<line key=${`s${i}`} class=${`tl-step tl-step-${step.status}`} x1=${step.x} x2=${step.x} y1=${row.barY - 3} y2=${row.barY + row.barHeight + 3}
        ><title>${`Escalation step: ${step.label} (${step.status}, ${step.at})`}</title></line
      >`,
    )}
    ${row.submissions.map(
      (s, i) => html`<path key=${`m${i}`} class=${`tl-submission${s.late ? ' tl-submission-late' : ''}`} d=${`M${s.x} ${mid - 8} L${s.x + 7} ${mid} L${s.x} ${mid + 8} L${s.x - 7} ${mid} Z`}
        ><title>${`${s.label} at ${s.at}`}</title></path
      >`,
    )}
  </g>`;
}

/** One picture of every clock of the incident at `now` (the stack's time). */
export function IncidentTimeline({ detail, now }: { readonly detail: IncidentDetailAnswer; readonly now: number }) {
  const { incident } = detail;
  const layout = layoutTimeline(timelineClocks(incident.regimeClocks, detail.timers), now, `Legal clocks of ${incident.id}`);
  return html`<figure id="timeline-picture" class="timeline-picture">
    <svg
      viewBox=${`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      role="img"
      aria-labelledby="timeline-picture-title timeline-picture-desc"
      preserveAspectRatio="xMinYMin meet"
      data-from=${new Date(layout.from).toISOString()}
      data-to=${new Date(layout.to).toISOString()}
    >
      <title id="timeline-picture-title">${layout.title}</title>
      <desc id="timeline-picture-desc">${layout.description}</desc>
      <defs>
        <pattern id="tl-hatch-overdue" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect class="tl-hatch-ground" width="6" height="6"></rect>
          <line class="tl-hatch-line" x1="0" y1="0" x2="0" y2="6"></line>
        </pattern>
        <pattern id="tl-dots-target" patternUnits="userSpaceOnUse" width="5" height="5">
          <rect class="tl-dots-ground" width="5" height="5"></rect>
          <circle class="tl-dot" cx="2.5" cy="2.5" r="1"></circle>
        </pattern>
      </defs>
      <g class="tl-axis">
        ${layout.axis.map(
          (mark) => html`<g key=${mark.label}>
            <line class="tl-gridline" x1=${mark.x} x2=${mark.x} y1=${layout.top - 8} y2=${layout.bottom}></line>
            <text class="tl-axis-label" x=${mark.x} y=${layout.top - 12}>${mark.label}</text>
          </g>`,
        )}
        <text class="tl-axis-label tl-utc" x=${layout.right} y=${layout.height - 1} text-anchor="end">times in UTC</text>
      </g>
      ${layout.rows.length ? layout.rows.map((row) => bar(row, layout.left)) : html`<text class="tl-label" x=${layout.left} y=${layout.top + 16}>No legal clock applies yet (record the facts: where the people live)</text>`}
      <g class="tl-now" data-now=${new Date(now).toISOString()}>
        <line class="tl-now-line" x1=${layout.now.x} x2=${layout.now.x} y1=${14} y2=${layout.bottom}></line>
        <text class="tl-now-label" x=${layout.now.x} y=${10} text-anchor=${layout.now.anchor}>${layout.now.label}</text>
      </g>
    </svg>
    <figcaption class="hint">
      Each bar runs from the clock's trigger to its deadline; the filled part is time gone. Ticks: escalation steps; ◆: a
      recorded submission; hatched: overdue; dashed and dotted: a target (no legal deadline); the vertical line is now.
    </figcaption>
  </figure>`;
}
