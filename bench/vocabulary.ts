/**
 * Word material for generated tickets. The search scenarios depend on two promises made here:
 * COMMON_WORD appears only in `commonSentences` and RARE_WORD only in `rareSentence`, so their
 * frequencies are exactly the probabilities the generator uses. Keep every other string free
 * of both words (and of words that stem to them, such as "errors").
 */
export const COMMON_WORD = "error";
export const RARE_WORD = "zeppelin";

/** Share of tickets whose description carries the common word; messages add more matches. */
export const COMMON_TICKET_SHARE = 0.35;
export const COMMON_MESSAGE_SHARE = 0.25;
/** 0.01% of tickets, as the issue asks; a rarer share of messages. */
export const RARE_TICKET_SHARE = 0.0001;
export const RARE_MESSAGE_SHARE = 0.00005;

export const problems = [
  "Login fails",
  "Page loads slowly",
  "Export is missing rows",
  "Invoice total looks wrong",
  "Password reset email never arrives",
  "Cannot upload attachment",
  "Notifications stopped",
  "Report shows stale data",
  "Calendar sync broken",
  "Permission denied for new user",
  "Two-factor code rejected",
  "Search returns nothing",
  "Dashboard widgets blank",
  "Webhook deliveries delayed",
  "App crashes on start",
  "Printer queue stuck",
  "VPN disconnects every hour",
  "License count incorrect",
  "Data import timed out",
  "Refund not processed",
];

export const products = [
  "billing portal",
  "mobile app",
  "admin console",
  "reporting module",
  "customer portal",
  "API gateway",
  "email integration",
  "payroll service",
  "inventory tracker",
  "scheduling tool",
  "analytics dashboard",
  "file storage",
  "chat widget",
  "CRM connector",
  "warehouse scanner",
];

export const contexts = [
  "Since this morning several colleagues in the finance department have been affected.",
  "We noticed this right after the latest update was rolled out.",
  "It started on Monday and has become worse during the week.",
  "Only users in our Berlin office seem to see this behaviour.",
  "Our operations team reported it during the nightly batch window.",
  "A customer called us about it twice today.",
  "This happens on both laptops and desktop machines.",
  "The problem appeared after we changed our single sign-on settings.",
  "We have been using the product for three years without trouble until now.",
  "Two new hires could not finish onboarding because of this.",
  "It happens intermittently, roughly one time in five.",
  "Our auditors need this fixed before the end of the quarter.",
  "We already cleared the browser cache and restarted the machines.",
  "Everything worked fine on the staging environment.",
  "The warehouse shift lead escalated this to me this afternoon.",
];

export const details = [
  "The spinner keeps turning and the page never finishes loading.",
  "The totals differ from last month's statement by a few hundred euros.",
  "Half of the records are missing from the downloaded spreadsheet.",
  "The confirmation email arrives hours later or not at all.",
  "Clicking the save button does nothing visible.",
  "The timestamps shown are off by exactly one hour.",
  "Some users are logged out after a few minutes of inactivity.",
  "The mobile version behaves differently from the desktop version.",
  "The chart is empty although the table below it has data.",
  "Uploading files larger than two megabytes silently fails.",
  "The list of team members is not in alphabetical order anymore.",
  "Scheduled jobs run twice in the same night.",
  "The barcode scanner beeps but the item count does not change.",
  "The invoice PDF shows the wrong company address.",
  "Access was revoked for a manager who still needs it.",
  "The connection drops whenever the laptop switches networks.",
  "New orders do not appear until somebody refreshes twice.",
  "The payroll preview uses last year's tax table.",
  "The retry button is greyed out.",
  "Support chat messages arrive out of order.",
];

export const closings = [
  "Could you please take a look as soon as possible?",
  "Please let me know if you need screenshots or logs.",
  "Thanks in advance for your help.",
  "This is blocking our month-end close.",
  "We would appreciate a workaround until there is a fix.",
  "Happy to join a call if that helps.",
  "Is there a known issue or a planned update?",
  "Kind regards from the operations team.",
  "Please treat this as urgent for our region.",
  "Let me know which details you need from our side.",
];

/** Every entry contains COMMON_WORD. */
export const commonSentences = [
  `The screen shows an ${COMMON_WORD} and nothing else happens.`,
  `We get an ${COMMON_WORD} code every time we retry.`,
  `An ${COMMON_WORD} banner appears at the top of the page.`,
  `The log file is full of the same ${COMMON_WORD}.`,
  `Each attempt ends with a generic ${COMMON_WORD} message.`,
];

export const rareSentence = `Only the ${RARE_WORD} project account is affected.`;

export const agentReplies = [
  "Thanks for reporting this, I am looking into it now.",
  "Could you send us a screenshot of what you see?",
  "We have reproduced the problem and passed it to engineering.",
  "A fix has been deployed; please try again and let us know.",
  "I have reset the account, please sign in again.",
  "This is a known issue and a patch is scheduled for Thursday.",
  "Can you confirm which browser and version you are using?",
  "I have increased the limit on your plan, it should work now.",
  "Closing this for now; reply to reopen if it comes back.",
  "Checked with the billing team, the credit note is on its way.",
];

export const customerReplies = [
  "Thanks, that fixed it for us.",
  "Still happening on our side, unfortunately.",
  "Attached the screenshot you asked for.",
  "We use the latest Chrome on Windows eleven.",
  "Any update on this? Our team is waiting.",
  "It works again for most users, but not for the warehouse.",
  "Great, thank you for the quick answer.",
  "The workaround helps, but we need a proper fix.",
  "I tried again this morning with the same result.",
  "Please escalate, this affects our customers now.",
];

export const internalNotes = [
  "Looks like the cache invalidation bug from last sprint.",
  "Customer is on the enterprise plan, keep the SLA in mind.",
  "Asked engineering in the platform channel.",
  "Duplicate of an older ticket, linking both.",
  "Billing confirmed the refund was issued yesterday.",
];

export const categories = ["general", "billing", "technical", "account", "feature_request", "hardware"];
export const tags = ["billing", "login", "bug", "feature-request", "vip", "mobile", "integration", "onboarding"];
/** Sources whose numbers use the SUP- prefix (domain/ticketNumber.ts), weighted by repetition. */
export const sources = ["portal", "portal", "portal", "api", "api", "slack", "helpscout"];

export const firstNames = ["Ada", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Kira", "Luis", "Maya", "Nils", "Olga", "Priya"];
export const lastNames = ["Almeida", "Berger", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak"];
