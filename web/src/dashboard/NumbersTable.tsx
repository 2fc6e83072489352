import type { ReactNode } from "react";

export type Column<T> = { header: string; cell: (row: T) => ReactNode; isNumeric?: boolean };

/** A chart's numbers as a real table: a caption, column headers, and the first cell of each row as its header. */
export function NumbersTable<T>({ caption, columns, rows, rowKey, footer }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; footer?: T }) {
  const cells = (row: T) =>
    columns.map((c, i) =>
      i === 0 ? (
        <th key={c.header} scope="row">
          {c.cell(row)}
        </th>
      ) : (
        <td key={c.header} className={c.isNumeric ? "num" : undefined}>
          {c.cell(row)}
        </td>
      ),
    );
  return (
    <table className="numbers-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className={c.isNumeric ? "num" : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>{cells(row)}</tr>
        ))}
      </tbody>
      {footer && (
        <tfoot>
          <tr>{cells(footer)}</tr>
        </tfoot>
      )}
    </table>
  );
}
