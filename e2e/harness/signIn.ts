import type { Tab } from "./browser.js";
import type { Person } from "./world.js";

/** Signs in through the portal's form, as a person would, and waits to land. */
export async function signIn(tab: Tab, person: Person, landing: RegExp): Promise<void> {
  const { page } = tab;
  await page.goto("/login");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(landing);
}
