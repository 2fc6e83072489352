import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { stringify } from "csv-stringify";
import { z } from "zod";
import { walkTickets } from "../../../../db/repositories/walkTickets.js";
import type { TicketListRow } from "../../../../db/repositories/listTickets.js";
import { AppError } from "../../../../errors.js";
import { actorOf } from "../../../../http/auth.js";
import { presentTicketCsvRow, ticketCsvColumns } from "../../../../presenters/presentTicketCsv.js";
import type { RouteOptions } from "../index.js";
import { listFilterShape, listFiltersOf } from "./listQuery.js";

const ZExportQuery = z.strictObject({
  ...listFilterShape,
  format: z.enum(["csv", "pdf"]).default("csv"),
});

/** Every row of the header and the tickets; the first ticket was already read to catch early failures. */
async function* csvRecords(first: IteratorResult<TicketListRow>, rest: AsyncGenerator<TicketListRow>, present: (row: TicketListRow) => string[]) {
  yield [...ticketCsvColumns];
  if (first.done) return;
  yield present(first.value);
  for await (const row of rest) yield present(row);
}

/** `GET /tickets/export`: the whole of a queue view as a file, streamed. */
export async function ticketExportRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;

  app.get(
    "/tickets/export",
    {
      config: { auth: "staff" },
      schema: {
        tags: ["tickets"],
        summary: "Every ticket matching the list's filters, as CSV (streamed)",
        description:
          "Takes the filters and sort of `GET /tickets` (no cursor or limit: all matching tickets). Answers `text/csv; charset=utf-8` " +
          "with a byte-order mark and CRLF line ends. Cells that a spreadsheet would run as a formula start with an apostrophe. " +
          "`format=pdf` is not available yet.",
        // No response schema: the body is a stream, and errors are the usual problem documents.
        querystring: ZExportQuery,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { format, ...query } = req.query;
      if (format !== "csv") throw new AppError("BAD_REQUEST", "only format=csv is available for now", { field: "format" });
      const rows = walkTickets(db, actor, listFiltersOf(query));
      // Read the first batch before answering, so a failure there is still a problem document.
      const first = await rows.next();
      const csv = stringify({ bom: true, record_delimiter: "windows" });
      pipeline(Readable.from(csvRecords(first, rows, (row) => presentTicketCsvRow(row, actor))), csv).catch((error: unknown) => {
        // The status line is gone by now: the client sees a cut-off file, the log says why
        // (usually the client went away, which also stops the walk through the tickets).
        req.log.warn({ err: error }, "ticket export stopped");
      });
      const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="tickets-${day}.csv"`)
        .send(csv);
    },
  );
}
