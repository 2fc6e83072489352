import { AppError } from "../errors.js";
import { assertOutboundUrl } from "./outboundUrl.js";

/**
 * GETs an admin-supplied URL as text: public addresses only (unless allowed), no redirects
 * (a redirect could lead to a private address), bounded in time and size.
 */
export async function fetchText(raw: string, options: { allowPrivate: boolean; field: string; maxBytes: number; timeoutMs: number }): Promise<string> {
  const url = await assertOutboundUrl(raw, options);
  let res: Response;
  try {
    res = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (e) {
    throw new AppError("UNPROCESSABLE", `could not fetch ${url.host}: ${e instanceof Error ? e.message : String(e)}`, { field: options.field });
  }
  if (!res.ok) throw new AppError("UNPROCESSABLE", `${url.host} answered ${res.status}`, { field: options.field });
  const body = await res.arrayBuffer();
  if (body.byteLength > options.maxBytes) throw new AppError("UNPROCESSABLE", `the document is larger than ${options.maxBytes} bytes`, { field: options.field });
  return new TextDecoder().decode(body);
}
