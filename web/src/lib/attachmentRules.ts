/**
 * What the portal lets people attach: up to 5 files of 10 MB, images, PDF, .log and .txt.
 * The server decides by the bytes (src/domain/attachmentType.ts) and accepts a little more
 * (zip, csv, md, json); this is the narrower promise the portal makes to customers.
 */
export const maxFiles = 5;
export const maxFileBytes = 10 * 1024 * 1024;
export const acceptedExtensions = ["png", "jpg", "jpeg", "gif", "webp", "pdf", "log", "txt"] as const;
/** For the file picker's filter. */
export const acceptAttribute = acceptedExtensions.map((e) => `.${e}`).join(",");

const extensionOf = (name: string) => name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The first problem with a set of files, or undefined when they may be sent. */
export function checkAttachments(files: readonly File[]): string | undefined {
  if (files.length > maxFiles) return `Attach at most ${maxFiles} files (you chose ${files.length}).`;
  for (const f of files) {
    if (!(acceptedExtensions as readonly string[]).includes(extensionOf(f.name))) {
      return `${f.name}: only images (PNG, JPEG, GIF, WebP), PDF, .log and .txt files can be attached.`;
    }
    if (f.size === 0) return `${f.name} is empty.`;
    if (f.size > maxFileBytes) return `${f.name} is ${formatBytes(f.size)}; files can be at most 10 MB.`;
  }
  return undefined;
}
