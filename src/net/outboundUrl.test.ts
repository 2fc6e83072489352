import { describe, expect, it } from "vitest";
import { assertOutboundUrl, isPrivateAddress } from "./outboundUrl.js";

describe("outbound URL guard", () => {
  it("classifies private, loopback, link-local and metadata addresses", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"]) expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuses non-http schemes, credentials and private literal hosts", async () => {
    await expect(assertOutboundUrl("file:///etc/passwd", { allowPrivate: false, field: "url" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    await expect(assertOutboundUrl("http://user:pw@example.com/", { allowPrivate: false, field: "url" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    await expect(assertOutboundUrl("http://169.254.169.254/latest/meta-data", { allowPrivate: false, field: "url" })).rejects.toMatchObject({ code: "UNPROCESSABLE", extra: { field: "url" } });
    await expect(assertOutboundUrl("http://localhost:9/", { allowPrivate: false, field: "url" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    await expect(assertOutboundUrl("http://[::1]:9/", { allowPrivate: false, field: "url" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
  });

  it("lets an admin allow private targets explicitly", async () => {
    const url = await assertOutboundUrl("http://127.0.0.1:9/x", { allowPrivate: true, field: "url" });
    expect(url.hostname).toBe("127.0.0.1");
  });
});
