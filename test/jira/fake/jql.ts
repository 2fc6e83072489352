/**
 * The slice of JQL the connector sends: AND/OR/NOT, parentheses, `= != ~ > >= < <=`, `IN`,
 * `NOT IN`, `IS [NOT] EMPTY`, and ORDER BY. Anything else is a JQL error (400), never a silent
 * match-all.
 */

export type JqlValue = string | string[] | null;
export type JqlClause =
  | { kind: "and" | "or"; items: JqlClause[] }
  | { kind: "not"; item: JqlClause }
  | { kind: "cmp"; field: string; op: string; value: JqlValue };
export type JqlQuery = { where: JqlClause | null; orderBy: { field: string; direction: "asc" | "desc" }[] };

export class JqlError extends Error {}

type Token = { t: "word" | "string" | "op" | "lp" | "rp" | "comma"; v: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(") (tokens.push({ t: "lp", v: c }), i++);
    else if (c === ")") (tokens.push({ t: "rp", v: c }), i++);
    else if (c === ",") (tokens.push({ t: "comma", v: c }), i++);
    else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = "";
      while (j < input.length && input[j] !== c) {
        if (input[j] === "\\" && j + 1 < input.length) j++;
        s += input[j];
        j++;
      }
      if (j >= input.length) throw new JqlError(`Error in the JQL Query: The quoted string '${s}' has not been completed.`);
      tokens.push({ t: "string", v: s });
      i = j + 1;
    } else if (/[!<>=~]/.test(c)) {
      const two = input.slice(i, i + 2);
      const op = ["!=", ">=", "<=", "!~"].includes(two) ? two : c;
      if (op === "!") throw new JqlError("Error in the JQL Query: unexpected '!'");
      tokens.push({ t: "op", v: op });
      i += op.length;
    } else {
      const m = /^[^\s()",'!<>=~]+/.exec(input.slice(i));
      if (!m) throw new JqlError(`Error in the JQL Query: unexpected '${c}'`);
      tokens.push({ t: "word", v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export function parseJql(input: string): JqlQuery {
  const tokens = tokenize(input);
  let p = 0;
  const peek = () => tokens[p];
  const isWord = (w: string) => peek()?.t === "word" && peek()!.v.toUpperCase() === w;
  const expectWord = (w: string) => {
    if (!isWord(w)) throw new JqlError(`Error in the JQL Query: Expecting '${w}' but got '${peek()?.v ?? "end of query"}'.`);
    p++;
  };

  const value = (): string => {
    const t = tokens[p++];
    if (!t || (t.t !== "word" && t.t !== "string")) throw new JqlError(`Error in the JQL Query: Expecting a value but got '${t?.v ?? "end of query"}'.`);
    if (t.t === "word" && tokens[p]?.t === "lp") throw new JqlError(`Error in the JQL Query: the fake does not support JQL functions (${t.v}()).`);
    return t.v;
  };

  const term = (): JqlClause => {
    if (isWord("NOT")) {
      p++;
      return { kind: "not", item: term() };
    }
    if (peek()?.t === "lp") {
      p++;
      const inner = or();
      if (peek()?.t !== "rp") throw new JqlError("Error in the JQL Query: Expecting ')'.");
      p++;
      return inner;
    }
    const field = value();
    let op: string;
    if (peek()?.t === "op") op = tokens[p++]!.v;
    else if (isWord("IN")) (p++, (op = "in"));
    else if (isWord("NOT")) {
      p++;
      expectWord("IN");
      op = "not in";
    } else if (isWord("IS")) {
      p++;
      if (isWord("NOT")) (p++, (op = "is not"));
      else op = "is";
    } else throw new JqlError(`Error in the JQL Query: Expecting operator but got '${peek()?.v ?? "end of query"}'.`);
    if (op === "is" || op === "is not") {
      if (!isWord("EMPTY") && !isWord("NULL")) throw new JqlError("Error in the JQL Query: Expecting EMPTY or NULL after IS.");
      p++;
      return { kind: "cmp", field, op, value: null };
    }
    if (op === "in" || op === "not in") {
      if (peek()?.t !== "lp") throw new JqlError("Error in the JQL Query: Expecting '(' after IN.");
      p++;
      const list: string[] = [];
      for (;;) {
        list.push(value());
        if (peek()?.t === "comma") p++;
        else break;
      }
      if (peek()?.t !== "rp") throw new JqlError("Error in the JQL Query: Expecting ')' to close the list.");
      p++;
      return { kind: "cmp", field, op, value: list };
    }
    return { kind: "cmp", field, op, value: value() };
  };
  const and = (): JqlClause => {
    const items = [term()];
    while (isWord("AND")) (p++, items.push(term()));
    return items.length === 1 ? items[0]! : { kind: "and", items };
  };
  const or = (): JqlClause => {
    const items = [and()];
    while (isWord("OR")) (p++, items.push(and()));
    return items.length === 1 ? items[0]! : { kind: "or", items };
  };

  const where = tokens.length === 0 || isWord("ORDER") ? null : or();
  const orderBy: JqlQuery["orderBy"] = [];
  if (isWord("ORDER")) {
    p++;
    expectWord("BY");
    for (;;) {
      const field = value();
      let direction: "asc" | "desc" = "asc";
      if (isWord("ASC")) p++;
      else if (isWord("DESC")) (p++, (direction = "desc"));
      orderBy.push({ field, direction });
      if (peek()?.t === "comma") p++;
      else break;
    }
  }
  if (p < tokens.length) throw new JqlError(`Error in the JQL Query: unexpected '${tokens[p]!.v}'.`);
  return { where, orderBy };
}

/** How the fake reads a field of an issue for JQL: every value it could be matched by. */
export type JqlFieldReader = (field: string) => { kind: "text" | "set" | "date"; values: string[] } | undefined;

/** JQL dates: `yyyy-MM-dd[ HH:mm]` or with slashes, read as UTC (the fake's users are in UTC). */
export function parseJqlDate(value: string): number {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
  if (/^\d{10,}$/.test(value)) return Number(value);
  throw new JqlError(`Error in the JQL Query: Date value '${value}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'.`);
}

export function evaluate(clause: JqlClause, read: JqlFieldReader): boolean {
  switch (clause.kind) {
    case "and":
      return clause.items.every((c) => evaluate(c, read));
    case "or":
      return clause.items.some((c) => evaluate(c, read));
    case "not":
      return !evaluate(clause.item, read);
    case "cmp": {
      const field = read(clause.field);
      if (!field) throw new JqlError(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
      const have = field.values.map((v) => v.toLowerCase());
      const eq = (v: string) => have.includes(v.toLowerCase());
      switch (clause.op) {
        case "=":
          return eq(clause.value as string);
        case "!=":
          return have.length > 0 && !eq(clause.value as string);
        case "in":
          return (clause.value as string[]).some(eq);
        case "not in":
          return have.length > 0 && !(clause.value as string[]).some(eq);
        case "is":
          return have.length === 0;
        case "is not":
          return have.length > 0;
        case "~":
          return have.some((h) => h.includes((clause.value as string).toLowerCase()));
        case "!~":
          return !have.some((h) => h.includes((clause.value as string).toLowerCase()));
        case ">":
        case ">=":
        case "<":
        case "<=": {
          if (field.kind !== "date") throw new JqlError(`The operator '${clause.op}' is not supported by the '${clause.field}' field in the fake.`);
          const bound = parseJqlDate(clause.value as string);
          const at = Number(field.values[0]);
          if (!Number.isFinite(at)) return false;
          return clause.op === ">" ? at > bound : clause.op === ">=" ? at >= bound : clause.op === "<" ? at < bound : at <= bound;
        }
        default:
          throw new JqlError(`Error in the JQL Query: unsupported operator '${clause.op}'.`);
      }
    }
  }
}
