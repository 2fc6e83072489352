import type { Holiday } from "../../api/admin/types.ts";

type Props = { holidays: Holiday[]; onChange: (holidays: Holiday[]) => void; errorFor: (path: string) => string | undefined };

/** Closed days, or part-days with a from–to window; each one editable and removable. */
export function HolidayList({ holidays, onChange, errorFor }: Props) {
  const set = (i: number, change: Partial<Holiday>) => onChange(holidays.map((h, j) => (j === i ? { ...h, ...change } : h)));
  return (
    <fieldset className="holidays">
      <legend>Holidays</legend>
      {holidays.length === 0 ? (
        <p className="muted">No holidays: every week runs as above.</p>
      ) : (
        <table className="admin-table compact">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Name</th>
              <th scope="col">Closed from (optional)</th>
              <th scope="col">until</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {holidays.map((h, i) => {
              const error = errorFor(`holidays.${i}`);
              return (
                <tr key={i} className={error ? "field-invalid" : undefined}>
                  <td>
                    <input type="date" aria-label={`Holiday ${i + 1} date`} value={h.date} aria-invalid={error ? true : undefined} onChange={(e) => set(i, { date: e.target.value })} />
                    {error && <p className="field-error">{error}</p>}
                  </td>
                  <td>
                    <input type="text" aria-label={`Holiday ${i + 1} name`} value={h.name ?? ""} onChange={(e) => set(i, { name: e.target.value })} />
                  </td>
                  <td>
                    <input type="text" className="time" placeholder="whole day" aria-label={`Holiday ${i + 1} closed from`} value={h.from ?? ""} onChange={(e) => set(i, { from: e.target.value || undefined })} />
                  </td>
                  <td>
                    <input type="text" className="time" aria-label={`Holiday ${i + 1} closed until`} value={h.to ?? ""} onChange={(e) => set(i, { to: e.target.value || undefined })} />
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => onChange(holidays.filter((_, j) => j !== i))}>
                      Remove<span className="visually-hidden"> holiday {h.name ?? h.date}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button type="button" className="button button-secondary button-small" onClick={() => onChange([...holidays, { date: "" }])}>
        Add a holiday
      </button>
    </fieldset>
  );
}
