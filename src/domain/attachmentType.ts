/** Types we accept from people: images, PDF and plain-text logs (the portal's promise). */
const allowedBinary: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "application/pdf": "pdf",
  "application/zip": "zip",
};
const textExtensions: Record<string, string> = {
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  md: "text/markdown",
  json: "application/json",
};

export type TypeVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

const extensionOf = (filename: string) => filename.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";

/**
 * Decides a file's type from its bytes, never from what the client claims: a sniffed binary
 * type must be on the list, and anything unsniffable must be valid UTF-8 text with a text extension.
 */
export function classifyAttachment(filename: string, sniffedMime: string | undefined, head: Buffer): TypeVerdict {
  if (sniffedMime) {
    return sniffedMime in allowedBinary
      ? { ok: true, contentType: sniffedMime }
      : { ok: false, reason: `files of type ${sniffedMime} are not accepted` };
  }
  const textType = textExtensions[extensionOf(filename)];
  if (!textType) return { ok: false, reason: "only images, PDF, zip and text files (.txt, .log, .csv, .md, .json) are accepted" };
  if (head.includes(0) || !isUtf8Prefix(head)) return { ok: false, reason: "the file is not text" };
  return { ok: true, contentType: textType };
}

/** Valid UTF-8, allowing a multi-byte character cut off at the end of the sample. */
function isUtf8Prefix(buf: Buffer): boolean {
  for (let trim = 0; trim < 4 && trim <= buf.length; trim++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, buf.length - trim));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}
