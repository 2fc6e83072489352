import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export type StoredFile = { sha256: string; sizeBytes: number; tempPath: string };

/**
 * Content-addressed file storage: bytes live at attachments/ab/cdef… under their SHA-256,
 * so re-uploads of the same file share one copy and a file can never be swapped in place.
 */
export class AttachmentStore {
  readonly root: string;
  constructor(dataDir: string) {
    this.root = join(dataDir, "attachments");
  }

  pathFor(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  /** Streams an upload to a temporary file while hashing and counting it. */
  async receive(stream: Readable): Promise<StoredFile> {
    await mkdir(join(this.root, "tmp"), { recursive: true });
    const tempPath = join(this.root, "tmp", randomUUID());
    const hash = createHash("sha256");
    let sizeBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tempPath));
    } catch (e) {
      await rm(tempPath, { force: true });
      throw e;
    }
    return { sha256: hash.digest("hex"), sizeBytes, tempPath };
  }

  /** Reads the first bytes of a received file, for type sniffing. */
  async head(tempPath: string, bytes = 4100): Promise<Buffer> {
    const fh = await open(tempPath, "r");
    try {
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Moves a received file to its content address; an existing identical copy wins. */
  async commit(file: StoredFile): Promise<void> {
    const target = this.pathFor(file.sha256);
    await mkdir(join(target, ".."), { recursive: true });
    const exists = await stat(target).then(() => true, () => false);
    if (exists) await rm(file.tempPath, { force: true });
    else await rename(file.tempPath, target);
  }

  discard(file: StoredFile): Promise<void> {
    return rm(file.tempPath, { force: true });
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathFor(sha256));
  }
}
