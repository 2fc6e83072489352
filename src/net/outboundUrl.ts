import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors.js";

/** Addresses an outbound request must never reach unless an admin allows private targets (SSRF). */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // An IPv4-mapped IPv6 address reaches the IPv4 host it embeds.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Checks that a URL is http(s) and that every address its host resolves to is public (no
 * loopback, private, link-local or cloud metadata ranges). Answers 422 naming `field` otherwise.
 * Callers must also refuse redirects, which could point anywhere.
 */
export async function assertOutboundUrl(raw: string, options: { allowPrivate: boolean; field: string }): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("UNPROCESSABLE", "not a valid URL", { field: options.field });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError("UNPROCESSABLE", "only http and https URLs are allowed", { field: options.field });
  }
  if (url.username || url.password) throw new AppError("UNPROCESSABLE", "URLs must not carry credentials", { field: options.field });
  if (options.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new AppError("UNPROCESSABLE", `${host} does not resolve`, { field: options.field });
  if (addresses.some(isPrivateAddress)) {
    throw new AppError("UNPROCESSABLE", `${host} resolves to a private or reserved address`, { field: options.field });
  }
  return url;
}
