// jira2md ships no types; these are the two converters the connector calls.
declare module "jira2md" {
  const J2M: {
    /** Markdown → Jira wiki markup. */
    to_jira(markdown: string): string;
    /** Jira wiki markup → Markdown. */
    to_markdown(wiki: string): string;
  };
  export default J2M;
}
