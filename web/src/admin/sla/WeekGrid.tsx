import { dayLabels, weekDays, type DayKey, type IntervalDraft } from "./calendarDraft.ts";

type Props = {
  week: Record<DayKey, IntervalDraft[]>;
  onChange: (week: Record<DayKey, IntervalDraft[]>) => void;
  errorFor: (path: string) => string | undefined;
};

/** The working week: several intervals a day, each a start and an end in the calendar's zone. */
export function WeekGrid({ week, onChange, errorFor }: Props) {
  const setDay = (day: DayKey, intervals: IntervalDraft[]) => onChange({ ...week, [day]: intervals });
  const setTime = (day: DayKey, i: number, part: 0 | 1, value: string) =>
    setDay(day, week[day].map((iv, j) => (j === i ? (part === 0 ? [value, iv[1]] : [iv[0], value]) : iv)));
  // An empty day starts with office hours; a second interval is left blank to type in.
  const addInterval = (day: DayKey) => setDay(day, [...week[day], week[day].length ? ["", ""] : ["09:00", "17:00"]]);
  const copyMondayToWeekdays = () => onChange({ ...week, tue: [...week.mon], wed: [...week.mon], thu: [...week.mon], fri: [...week.mon] });
  return (
    <fieldset className="week-grid">
      <legend>Working hours</legend>
      <table className="admin-table compact">
        <tbody>
          {weekDays.map((day) => {
            const dayError = errorFor(`week.${day}`);
            return (
              <tr key={day} data-day={day}>
                <th scope="row">{dayLabels[day]}</th>
                <td>
                  {week[day].length === 0 && <span className="muted">Closed</span>}
                  <ul className="intervals">
                    {week[day].map(([start, end], i) => {
                      const error = errorFor(`week.${day}.${i}`);
                      const id = `week-${day}-${i}`;
                      return (
                        <li key={i} className={error ? "field-invalid" : undefined}>
                          <label htmlFor={`${id}-from`} className="visually-hidden">
                            {dayLabels[day]} interval {i + 1} from
                          </label>
                          <input id={`${id}-from`} type="text" inputMode="numeric" className="time" value={start} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setTime(day, i, 0, e.target.value)} />
                          <span aria-hidden="true">–</span>
                          <label htmlFor={`${id}-to`} className="visually-hidden">
                            {dayLabels[day]} interval {i + 1} until
                          </label>
                          <input id={`${id}-to`} type="text" inputMode="numeric" className="time" value={end} aria-invalid={error ? true : undefined} onChange={(e) => setTime(day, i, 1, e.target.value)} />
                          <button type="button" className="link-button" onClick={() => setDay(day, week[day].filter((_, j) => j !== i))}>
                            Remove<span className="visually-hidden"> {dayLabels[day]} interval {i + 1}</span>
                          </button>
                          {error && (
                            <p className="field-error" id={`${id}-error`}>
                              {error}
                            </p>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                  {dayError && !week[day].some((_, i) => errorFor(`week.${day}.${i}`)) && <p className="field-error">{dayError}</p>}
                </td>
                <td>
                  <button type="button" className="button button-secondary button-small" onClick={() => addInterval(day)}>
                    Add interval<span className="visually-hidden"> on {dayLabels[day]}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {errorFor("week") && !weekDays.some((d) => errorFor(`week.${d}`)) && <p className="field-error">{errorFor("week")}</p>}
      <button type="button" className="link-button" onClick={copyMondayToWeekdays}>
        Copy Monday's hours to Tuesday–Friday
      </button>
    </fieldset>
  );
}
