import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listCalendars } from "../../api/admin/sla.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { CalendarForm } from "./CalendarForm.tsx";

/** /admin/sla/calendars/:calendarId (or `new`). */
export function CalendarEditPage() {
  const { calendarId = "new" } = useParams();
  const navigate = useNavigate();
  const calendars = useQuery({ queryKey: adminKeys.calendars, queryFn: ({ signal }) => listCalendars(signal) });
  const notice = useNotice();
  const [formKey, setFormKey] = useState(0);
  const isNew = calendarId === "new";
  const calendar = calendars.data?.find((c) => c.id === calendarId) ?? null;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/sla">SLA calendars and policies</Link>
      </p>
      <h1>{isNew ? "New business calendar" : calendar ? `Calendar: ${calendar.name}` : "Business calendar"}</h1>
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {calendars.error ? (
        <ErrorMessage error={calendars.error} title="The calendar could not be loaded" />
      ) : calendars.isPending ? (
        <Loading label="Loading the calendar…" />
      ) : !isNew && !calendar ? (
        <p className="alert alert-error">There is no such calendar. <Link to="/admin/sla">Back to the list</Link>.</p>
      ) : (
        <CalendarForm
          key={`${calendarId}-${formKey}`}
          calendar={calendar}
          onNote={notice.success}
          onSaved={(saved) => {
            notice.success(`${saved.name} is saved.${isNew ? "" : " Policies that use it have a new version."}`);
            setFormKey((k) => k + 1);
            if (isNew) void navigate(`/admin/sla/calendars/${saved.id}`, { replace: true });
            window.scrollTo(0, 0);
          }}
        />
      )}
    </>
  );
}
