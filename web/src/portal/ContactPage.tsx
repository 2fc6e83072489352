import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { submitContactForm } from "../api/tickets.ts";
import { useSession } from "../auth/session.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { ErrorSummary } from "../components/ErrorSummary.tsx";
import { Field } from "../components/Field.tsx";
import { isEmail } from "../lib/isEmail.ts";
import { descriptionLength, subjectLength, validateTicketDraft } from "../lib/ticketRules.ts";
import { useFormErrors } from "../lib/useFormErrors.ts";

const fields = ["email", "name", "subject", "description"] as const;

/** Anyone can write to support with just an email address, and leaves with a ticket number. */
export function ContactPage() {
  const { user } = useSession();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const rules = validateTicketDraft({ subject, description, category: "general", priority: "medium" });
  const form = useFormErrors({
    email: isEmail(email) ? undefined : "Enter an email address we can answer you at.",
    subject: rules.subject,
    description: rules.description,
  });
  const send = useMutation({
    mutationFn: () => submitContactForm({ email: email.trim(), name: name.trim() || undefined, subject: subject.trim(), description: description.trim() }),
    onError: (error) => form.takeServerError(error, fields),
  });

  if (user) {
    return (
      <main id="main" className="narrow">
        <h1>Contact support</h1>
        <p>
          You are signed in, so your request can be followed in the portal: <Link to="/tickets/new">file a new request</Link>.
        </p>
      </main>
    );
  }

  if (send.isSuccess) {
    return (
      <main id="main" className="narrow">
        <h1>Thank you</h1>
        <div className="alert alert-success receipt" role="status">
          <p>We have received your request. Your ticket number is</p>
          <p className="ticket-number" data-testid="ticket-number">
            {send.data.number}
          </p>
          <p>Keep it for reference: we will answer at {email.trim()}, and a confirmation is on its way there.</p>
        </div>
      </main>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) send.mutate();
  };
  const isFieldError = send.error && form.count > 0;
  return (
    <main id="main" className="narrow">
      <h1>Contact support</h1>
      <p className="muted">No account needed. Already have one? <Link to="/login">Sign in</Link> to follow your requests.</p>
      <form ref={form.formRef} onSubmit={submit} noValidate className="form">
        <ErrorSummary count={form.count} />
        {send.error && !isFieldError && <ErrorMessage title="Your message was not sent" error={send.error} />}
        <div className="field-row">
          <Field label="Your email" error={form.errors.email}>
            <input type="email" autoComplete="email" value={email} onChange={(e) => { setEmail(e.target.value); form.clearServerError("email"); }} />
          </Field>
          <Field label="Your name (optional)" error={form.errors.name}>
            <input type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
        </div>
        <Field label="Subject" hint={`${subjectLength.min}–${subjectLength.max} characters.`} error={form.errors.subject}>
          <input type="text" value={subject} onChange={(e) => { setSubject(e.target.value); form.clearServerError("subject"); }} />
        </Field>
        <Field label="How can we help?" hint={`At least ${descriptionLength.min} characters.`} error={form.errors.description}>
          <textarea rows={7} value={description} onChange={(e) => { setDescription(e.target.value); form.clearServerError("description"); }} />
        </Field>
        <button type="submit" className="button" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send"}
        </button>
      </form>
    </main>
  );
}
