import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { ApiError } from "../api/ApiError.ts";
import { createView, deleteView, listViews, viewKeys, type SavedView } from "../api/views.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";

type Props = {
  /** The current view's filters, as a saved view stores them. */
  current: Record<string, string>;
  onApply: (view: SavedView) => void;
};

function ViewList({ title, views, onApply, onDelete, isDeleting }: { title: string; views: SavedView[]; onApply: (v: SavedView) => void; onDelete?: (v: SavedView) => void; isDeleting?: boolean }) {
  const id = useId();
  return (
    <div className="view-group">
      <h3 id={id}>{title}</h3>
      {views.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul aria-labelledby={id}>
          {views.map((v) => (
            <li key={v.id}>
              <button type="button" className="link-button" onClick={() => onApply(v)}>
                {v.name}
              </button>
              {v.mine ? v.shared && <span className="muted"> · shared</span> : <span className="muted"> · by {v.ownerName}</span>}
              {onDelete && (
                <button type="button" className="link-button view-delete" onClick={() => onDelete(v)} disabled={isDeleting} aria-label={`Delete view ${v.name}`}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The queue's saved views: the agent's own (apply, delete) and those others shared (apply), and
 * saving the current filters under a name. A refused name (already taken) shows beside its field.
 */
export function ViewsMenu({ current, onApply }: Props) {
  const client = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const [name, setName] = useState("");
  const [isShared, setIsShared] = useState(false);
  const [notice, setNotice] = useState("");
  const views = useQuery({ queryKey: viewKeys.all, queryFn: ({ signal }) => listViews(signal), enabled: isOpen, staleTime: 60_000 });
  const save = useMutation({
    mutationFn: () => createView({ name: name.trim(), filters: current, shared: isShared }),
    onSuccess: (view) => {
      setName("");
      setIsShared(false);
      setNotice(`Saved “${view.name}”.`);
      void client.invalidateQueries({ queryKey: viewKeys.all });
    },
  });
  const remove = useMutation({
    mutationFn: (view: SavedView) => deleteView(view.id),
    onSuccess: (_, view) => {
      setNotice(`Deleted “${view.name}”.`);
      void client.invalidateQueries({ queryKey: viewKeys.all });
    },
  });
  const apply = (view: SavedView) => {
    setIsOpen(false);
    onApply(view);
  };
  const nameError = save.error instanceof ApiError ? (save.error.fieldErrors.name ?? (save.error.status === 409 ? save.error.message : undefined)) : undefined;
  const otherError = save.error && !nameError ? save.error : null;

  return (
    <div className="views-menu">
      <button ref={toggleRef} type="button" className="button button-secondary" aria-expanded={isOpen} aria-controls="views-panel" onClick={() => setIsOpen((o) => !o)}>
        Views <span aria-hidden="true">{isOpen ? "▴" : "▾"}</span>
      </button>
      {isOpen && (
        <div
          id="views-panel"
          className="views-panel"
          onKeyDown={(e) => {
            if (e.key !== "Escape") return;
            setIsOpen(false);
            toggleRef.current?.focus();
          }}
        >
          {views.isPending ? (
            <Loading />
          ) : views.error ? (
            <ErrorMessage error={views.error} title="Views unavailable" />
          ) : (
            <>
              <ViewList title="My views" views={views.data.filter((v) => v.mine)} onApply={apply} onDelete={(v) => remove.mutate(v)} isDeleting={remove.isPending} />
              <ViewList title="Shared with me" views={views.data.filter((v) => !v.mine)} onApply={apply} />
            </>
          )}
          {remove.error && <ErrorMessage error={remove.error} title="Not deleted" />}
          <form
            className="view-save"
            onSubmit={(e) => {
              e.preventDefault();
              setNotice("");
              if (name.trim()) save.mutate();
            }}
          >
            <h3>Save current view</h3>
            <div className={`field${nameError ? " field-invalid" : ""}`}>
              <label htmlFor="view-name">View name</label>
              <input
                id="view-name"
                type="text"
                value={name}
                maxLength={80}
                required
                onChange={(e) => {
                  setName(e.target.value);
                  save.reset();
                }}
                aria-invalid={nameError ? true : undefined}
                aria-describedby={nameError ? "view-name-error" : undefined}
              />
              {nameError && (
                <p className="field-error" id="view-name-error">
                  {nameError}
                </p>
              )}
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={isShared} onChange={(e) => setIsShared(e.target.checked)} /> Share with all agents
            </label>
            <button type="submit" className="button" disabled={save.isPending || !name.trim()}>
              Save current view
            </button>
          </form>
          {otherError && <ErrorMessage error={otherError} title="Not saved" />}
          <p role="status" className="muted">
            {notice}
          </p>
        </div>
      )}
    </div>
  );
}
