export const rangeChoices = [7, 30, 90] as const;
export type RangeDays = (typeof rangeChoices)[number];

/** 7, 30 or 90 days, as pressed/unpressed buttons in one labelled group. */
export function RangePicker({ days, onChange }: { days: RangeDays; onChange: (days: RangeDays) => void }) {
  return (
    <div className="segmented range-picker" role="group" aria-label="Range">
      {rangeChoices.map((d) => (
        <button key={d} type="button" aria-pressed={d === days} onClick={() => onChange(d)}>
          Last {d} days
        </button>
      ))}
    </div>
  );
}
