// The monthly staff-access report (/admin/audit/report?month=YYYY-MM): who viewed customers in one
// month of the salon's calendar, how often, why and with what scope, with the month's alerts and
// access-review decisions. Each chart is a plain SVG of bars (no chart library: a handful of bars
// needs none) with its numbers written beside the bars and the same figures in the table below, so
// the chart is never the only way to read them. The CSV is the export's `shape=report`.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { humanize } from '../../format.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { QueryState } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { download } from './ExportButtons.tsx';

const StaffAccessReportQuery = graphql(`
  query StaffAccessReport($year: Int, $month: Int) {
    staffAccessReport(year: $year, month: $month) {
      year
      month
      timeZone
      totalViews
      staff {
        staffId
        staffName
        views
        customers
        refusedAttempts
        breakGlass
        alerts
        reasons {
          label
          count
        }
        scopes {
          label
          count
        }
      }
      alertsByRule {
        label
        count
      }
      reviews {
        label
        count
      }
    }
  }
`);

/** A label and its count, as each chart draws them. */
interface Bar {
  label: string;
  count: number;
}

const BAR_HEIGHT = 28;
const LABEL_WIDTH = 180;
const CHART_WIDTH = 560;

/** Horizontal bars with their numbers, for a screen reader one image named by its figures. */
export function BarChart({ title, bars, unit }: { title: string; bars: readonly Bar[]; unit: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const room = CHART_WIDTH - LABEL_WIDTH - 48;
  const summary = bars.map((bar) => `${bar.label}: ${bar.count}`).join(', ');
  const id = `chart-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <figure className="report-chart">
      <figcaption id={id}>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">None this month.</p>
      ) : (
        <svg
          role="img"
          aria-labelledby={`${id} ${id}-desc`}
          viewBox={`0 0 ${CHART_WIDTH} ${bars.length * BAR_HEIGHT}`}
          width="100%"
          style={{ maxWidth: CHART_WIDTH }}
        >
          <desc id={`${id}-desc`}>{`${summary} ${unit}`}</desc>
          {bars.map((bar, index) => {
            const width = Math.max(2, (bar.count / max) * room);
            const y = index * BAR_HEIGHT;
            return (
              <g key={bar.label}>
                <text x={LABEL_WIDTH - 8} y={y + 18} textAnchor="end" className="report-chart__label">
                  {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
                </text>
                <rect
                  x={LABEL_WIDTH}
                  y={y + 5}
                  width={width}
                  height={BAR_HEIGHT - 10}
                  rx="3"
                  className="report-chart__bar"
                />
                <text x={LABEL_WIDTH + width + 6} y={y + 18} className="report-chart__value">
                  {bar.count}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** "2026-11" of the URL, else none (the server's default: last month). */
function monthOf(query: URLSearchParams): { year: number; month: number } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(query.get('month') ?? '');
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : null;
}

const monthValue = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The scopes of every staff member, added up. */
function scopeTotals(staff: readonly { scopes: readonly Bar[] }[]): Bar[] {
  const totals = new Map<string, number>();
  for (const row of staff)
    for (const scope of row.scopes) totals.set(scope.label, (totals.get(scope.label) ?? 0) + scope.count);
  return [...totals].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}

export function MonthlyReportPage() {
  const { query } = useLocation();
  const chosen = monthOf(query);
  const [result] = useQuery({
    query: StaffAccessReportQuery,
    variables: chosen ?? {},
    requestPolicy: 'cache-and-network',
  });
  const [error, setError] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="Monthly staff-access report"
        subtitle="Who viewed customers’ portals in a month of the salon’s calendar, how often, why and with what scope."
      />
      <p>
        <Link href="/admin/audit">Back to the audit log</Link>
      </p>
      <QueryState result={result}>
        {({ staffAccessReport: report }) => (
          <>
            <div className="card report-toolbar">
              <label className="field report-month">
                <span className="field__label">Month</span>
                <input
                  className="input"
                  type="month"
                  value={monthValue(report.year, report.month)}
                  onChange={(event) =>
                    event.target.value && navigate(`/admin/audit/report?month=${event.target.value}`)
                  }
                />
              </label>
              <p className="muted small">
                {report.totalViews} staff {report.totalViews === 1 ? 'view' : 'views'} · months in {report.timeZone}
              </p>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  setError(null);
                  download(
                    `/audit/export?shape=report&year=${report.year}&month=${report.month}`,
                    `staff-access-${monthValue(report.year, report.month)}.csv`,
                  ).catch((caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)));
                }}
              >
                Download CSV
              </button>
              {error && (
                <span className="form-error small" role="alert">
                  {error}
                </span>
              )}
            </div>
            <section className="card report-charts" aria-label="Charts" data-testid="report-charts">
              <BarChart
                title="Staff views per staff member"
                unit="staff views"
                bars={report.staff.map((row) => ({ label: row.staffName, count: row.views }))}
              />
              <BarChart title="Scopes of the staff views" unit="staff views" bars={scopeTotals(report.staff)} />
              {report.alertsByRule ? (
                <BarChart
                  title="Alerts by rule"
                  unit="alerts"
                  bars={report.alertsByRule.map((a) => ({ label: humanize(a.label), count: a.count }))}
                />
              ) : (
                <p className="muted">Alerts are not recorded in this database.</p>
              )}
              {report.reviews ? (
                <BarChart
                  title="Access-review decisions"
                  unit="decisions"
                  bars={report.reviews.map((r) => ({ label: humanize(r.label), count: r.count }))}
                />
              ) : (
                <p className="muted">Access reviews are not recorded in this database.</p>
              )}
            </section>
            <div className="card card--flush">
              <div className="table-wrap">
                <table className="table report-table" aria-label="Staff access by staff member">
                  <thead>
                    <tr>
                      <th scope="col">Staff member</th>
                      <th scope="col">Views</th>
                      <th scope="col">Customers</th>
                      <th scope="col">Refused</th>
                      <th scope="col">Break-glass</th>
                      <th scope="col">Alerts</th>
                      <th scope="col">Most frequent reasons</th>
                      <th scope="col">Scopes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.staff.length === 0 && (
                      <tr>
                        <td colSpan={8} className="muted">
                          No staff views this month.
                        </td>
                      </tr>
                    )}
                    {report.staff.map((row) => (
                      <tr key={row.staffId}>
                        <th scope="row">{row.staffName}</th>
                        <td>{row.views}</td>
                        <td>{row.customers}</td>
                        <td>{row.refusedAttempts}</td>
                        <td>{row.breakGlass}</td>
                        <td>{row.alerts ?? '—'}</td>
                        <td className="reason-cell">
                          <ul className="plain-list">
                            {row.reasons.map((r) => (
                              <li key={r.label}>
                                {r.label} <span className="muted">({r.count})</span>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          <ul className="plain-list">
                            {row.scopes.map((s) => (
                              <li key={s.label}>
                                {s.label} <span className="muted">({s.count})</span>
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </>
        )}
      </QueryState>
    </>
  );
}
