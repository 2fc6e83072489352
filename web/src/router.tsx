import { createBrowserRouter, Navigate } from "react-router";
import { RequireStaff, RequireUser } from "./auth/guards.tsx";
import { NotFoundPage, RouteError } from "./components/RouteError.tsx";
import { PortalLayout } from "./portal/PortalLayout.tsx";
import { PortalHome } from "./portal/PortalHome.tsx";
import { LoginPage } from "./portal/LoginPage.tsx";
import { MagicLinkPage } from "./portal/MagicLinkPage.tsx";
import { ForgotPasswordPage } from "./portal/ForgotPasswordPage.tsx";
import { SetPasswordPage } from "./portal/SetPasswordPage.tsx";
import { ContactPage } from "./portal/ContactPage.tsx";
import { MyTicketsPage } from "./portal/MyTicketsPage.tsx";
import { NewTicketPage } from "./portal/NewTicketPage.tsx";
import { TicketPage } from "./portal/TicketPage.tsx";

/**
 * Every page of the app. The server sends index.html for the same paths (src/http/webApp.ts,
 * `webPages`): a new top-level path goes in both places. The desk and admin load on demand,
 * so customers never download them.
 */
export const router = createBrowserRouter([
  {
    path: "/",
    element: <PortalLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <PortalHome /> },
      { path: "login", element: <LoginPage /> },
      { path: "login/magic", element: <MagicLinkPage /> },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "reset-password", element: <SetPasswordPage purpose="reset" /> },
      { path: "invite", element: <SetPasswordPage purpose="invite" /> },
      { path: "contact", element: <ContactPage /> },
      { path: "tickets", element: <RequireUser><MyTicketsPage /></RequireUser> },
      { path: "tickets/new", element: <RequireUser><NewTicketPage /></RequireUser> },
      { path: "tickets/:number", element: <RequireUser><TicketPage /></RequireUser> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
  {
    path: "/desk",
    errorElement: <RouteError />,
    lazy: async () => {
      const { DeskLayout } = await import("./desk/DeskLayout.tsx");
      return { element: <RequireStaff><DeskLayout /></RequireStaff> };
    },
    children: [
      { index: true, lazy: async () => ({ Component: (await import("./desk/QueuePage.tsx")).QueuePage }) },
      { path: "tickets/:number", lazy: async () => ({ Component: (await import("./desk/DeskTicketPage.tsx")).DeskTicketPage }) },
      { path: "dashboard", lazy: async () => ({ Component: (await import("./dashboard/DashboardPage.tsx")).DashboardPage }) },
      { path: "*", element: <Navigate to="/desk" replace /> },
    ],
  },
  {
    path: "/admin/*",
    errorElement: <RouteError />,
    lazy: async () => {
      const { AdminPage } = await import("./admin/AdminPage.tsx");
      return { element: <RequireStaff><AdminPage /></RequireStaff> };
    },
  },
]);
