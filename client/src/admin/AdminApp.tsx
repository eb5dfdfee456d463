// The staff admin app: customers (with "View as customer"), live active staff views, and the
// audit log. Staff the server lets view as a customer (`canImpersonate`: active managers) see all
// three; other staff only the customer directory. Who that is stays the server's rule.
import { useEffect, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { useSession } from '../auth/session.tsx';
import { graphql } from '../gql/gql.ts';
import { StaffViewEnded } from '../impersonation/StaffViewEnded.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { humanize } from '../format.ts';
import { QueryState } from '../ui/feedback.tsx';
import { Icon, type IconName } from '../ui/icons.tsx';
import { ActiveSessionsPage } from './ActiveSessionsPage.tsx';
import { AlertsBadge } from './alerts/AlertsBadge.tsx';
import { AlertsPage } from './alerts/AlertsPage.tsx';
import { AuditLogPage } from './audit/AuditLogPage.tsx';
import { BreakGlassReviewsPage } from './breakglass/BreakGlassReviewsPage.tsx';
import { AccessReviewsPage } from './reviews/AccessReviewsPage.tsx';
import { WebhookDeliveries } from './webhooks/WebhookDeliveries.tsx';
import { CustomersPage } from './CustomersPage.tsx';
import { StepUpPrompt } from './StepUpPrompt.tsx';
import type { StaffMember } from './staff.ts';

const AdminViewerQuery = graphql(`
  query AdminViewer {
    viewer {
      kind
      staff {
        id
        name
        role
        canImpersonate
      }
    }
  }
`);

interface Section {
  href: string;
  label: string;
  icon: IconName;
  /** Shown to staff whose `canImpersonate` is true (the server's answer, not a role check here). */
  managersOnly: boolean;
  page: (staff: StaffMember) => ReactNode;
  /** Shown beside the label (the unacknowledged alerts' count). */
  badge?: ReactNode;
}

const SECTIONS: Section[] = [
  {
    href: '/admin/customers',
    label: 'Customers',
    icon: 'users',
    managersOnly: false,
    page: (staff) => <CustomersPage staff={staff} />,
  },
  {
    href: '/admin/sessions',
    label: 'Active sessions',
    icon: 'activity',
    managersOnly: true,
    page: (staff) => <ActiveSessionsPage staff={staff} />,
  },
  { href: '/admin/audit', label: 'Audit log', icon: 'list', managersOnly: true, page: () => <AuditLogPage /> },
  {
    href: '/admin/alerts',
    label: 'Alerts',
    icon: 'activity',
    managersOnly: true,
    page: () => <AlertsPage />,
    badge: <AlertsBadge />,
  },
  {
    href: '/admin/emergency-access',
    label: 'Emergency access',
    icon: 'eye',
    managersOnly: true,
    page: () => <BreakGlassReviewsPage />,
  },
  {
    href: '/admin/reviews',
    label: 'Access reviews',
    icon: 'lock',
    managersOnly: true,
    page: (staff) => <AccessReviewsPage staff={staff} />,
  },
  {
    href: '/admin/webhooks',
    label: 'Webhooks',
    icon: 'sliders',
    managersOnly: true,
    page: () => <WebhookDeliveries />,
  },
];

export function AdminApp() {
  const { path } = useLocation();
  const { signOut, ending, dismissEnding } = useSession();
  const [viewer] = useQuery({ query: AdminViewerQuery });
  const staff = viewer.data?.viewer.staff;
  const sections = SECTIONS.filter((s) => !s.managersOnly || staff?.canImpersonate === true);
  const section = SECTIONS.find((s) => path === s.href || path.startsWith(`${s.href}/`));
  // Unknown paths, and manager pages for other staff once the server has answered, lead to the directory.
  const misplaced = !section || (staff !== undefined && !sections.includes(section));

  useEffect(() => {
    if (misplaced) navigate('/admin/customers', { replace: true });
  }, [misplaced]);
  useEffect(() => {
    document.title = `${section?.label ?? 'Admin'} · Tidy Tails Admin`;
  }, [section]);

  return (
    <div className="admin">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="admin-header">
        <Link href="/admin/customers" className="brand brand--admin">
          <span className="brand__mark" aria-hidden="true">
            <Icon name="paw" size={20} />
          </span>
          <span className="brand__name">Tidy Tails</span>
          <span className="brand__tag">Staff</span>
        </Link>
        <nav className="admin-nav" aria-label="Admin sections">
          {sections.map((s) => (
            <Link
              key={s.href}
              href={s.href}
              className="admin-nav__link"
              aria-current={s === section ? 'page' : undefined}
            >
              <Icon name={s.icon} size={18} />
              <span>{s.label}</span>
              {s.badge}
            </Link>
          ))}
        </nav>
        <div className="admin-header__account">
          {staff && (
            <span className="admin-header__name">
              {staff.name} <span className="muted small">{humanize(staff.role)}</span>
            </span>
          )}
          <button type="button" className="button button--ghost button--small" onClick={signOut}>
            <Icon name="logout" size={16} /> Sign out
          </button>
        </div>
      </header>
      <main id="main" className="admin-main" tabIndex={-1}>
        {ending && <StaffViewEnded ending={ending} onDismiss={dismissEnding} />}
        <QueryState result={viewer}>
          {({ viewer: { staff: me } }) => (me && section && sections.includes(section) ? section.page(me) : null)}
        </QueryState>
      </main>
      <StepUpPrompt />
    </div>
  );
}
