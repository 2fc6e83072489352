import type { Browser } from "playwright-core";
import type { TestSmtpServer } from "../../test/email/fixtures/smtpServer.js";
import { ApiClient } from "./api.js";
import { Tab } from "./browser.js";
import { eventually } from "./expect.js";

export type Person = { email: string; password: string; name: string };

/** What the journeys share: the server, the browser, the mailbox, the people, and what earlier journeys made. */
export class World {
  readonly tabs: Tab[] = [];
  /** Filled in by the journeys, in order. */
  readonly made: { ticketNumber?: string; ticketSubject?: string; noteText?: string; replyText?: string } = {};
  agentTab?: Tab;
  customerTab?: Tab;

  constructor(
    readonly baseUrl: string,
    readonly browser: Browser,
    readonly mailbox: TestSmtpServer,
    readonly admin: ApiClient,
    readonly agent: Person,
    readonly customer: Person,
  ) {}

  async open(name: string, viewport?: { width: number; height: number }): Promise<Tab> {
    const tab = await Tab.open(this.browser, this.baseUrl, name, viewport);
    this.tabs.push(tab);
    return tab;
  }

  /** Every open tab's console must have stayed clean. */
  assertNoConsoleErrors(): void {
    const problems: string[] = [];
    for (const tab of this.tabs) {
      try {
        tab.assertNoConsoleErrors();
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (problems.length) throw new Error(problems.join("\n"));
  }

  /** The newest mail to an address whose text matches, waiting for the job queue to send it. */
  async mailTo(address: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    let found = "";
    await eventually(`a mail to ${address} matching ${String(pattern)} arrives`, async () => {
      const mail = [...this.mailbox.received].reverse().find((m) => m.to.includes(address) && pattern.test(m.parsed.text ?? ""));
      found = mail?.parsed.text ?? "";
      return Boolean(mail);
    }, timeoutMs);
    return found;
  }
}

/** People and a little history, made through the API the way an admin's script would. */
export async function seedWorld(baseUrl: string, browser: Browser, mailbox: TestSmtpServer, admin: { email: string; password: string }): Promise<World> {
  const api = await ApiClient.login(baseUrl, admin.email, admin.password);
  const org = await api.call<{ id: string }>("POST", "/organizations", { name: "Acme Corp" });
  const agent: Person = { email: "alex.agent@e2e.test", password: "agent-password-123", name: "Alex Agent" };
  const customer: Person = { email: "casey@acme.e2e.test", password: "customer-password-123", name: "Casey Customer" };
  const agentUser = await api.call<{ id: string }>("POST", "/users", { ...agent, role: "agent" });
  await api.call("POST", "/users", { ...customer, role: "customer", organizationId: org.id });
  await api.call("POST", "/teams", { name: "Tier 1", members: [{ userId: agentUser.id }] });
  const asCustomer = await ApiClient.login(baseUrl, customer.email, customer.password);
  for (const [subject, description, priority, category] of [
    ["Invoice shows the wrong VAT number", "Our March invoice lists an old VAT number. Please reissue it with the new one.", "medium", "billing"],
    ["Password reset mail never arrives", "I asked for a reset link three times this morning and nothing came, not even in spam.", "high", "account"],
    ["Feature request: dark mode", "Our night-shift team would love a dark theme for the dashboard, if possible.", "low", "general"],
  ] as const) {
    await asCustomer.call("POST", "/tickets", { subject, description, priority, category });
  }
  // Enough tickets from someone else to need a second page of the queue (50 a page).
  for (let i = 1; i <= 50; i++) {
    await api.call("POST", "/tickets", {
      email: "someone@elsewhere.e2e.test",
      subject: `Old question number ${i}`,
      description: "A low-priority question that has waited for a while.",
      priority: "low",
      category: "general",
    });
  }
  return new World(baseUrl, browser, mailbox, api, agent, customer);
}
