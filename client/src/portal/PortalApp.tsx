// The customer portal: header, the seven sections, and the page for the current path. The same
// tree serves a signed-in customer and a staff member viewing as one (then read-only, see
// impersonation/readOnly.tsx).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../auth/session.tsx';
import { graphql, useFragment } from '../gql/index.ts';
import { MutatingButton } from '../impersonation/readOnly.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { SECTION_LABELS, showsSection, type Section as ViewSection } from '../staffViewScope.ts';
import { Icon, type IconName } from '../ui/icons.tsx';
import { AccessRequestNotice } from './AccessRequestNotice.tsx';
import { AppointmentsPage } from './AppointmentsPage.tsx';
import { BillingPage } from './billing/BillingPage.tsx';
import { HomePage } from './HomePage.tsx';
import { MessagesPage } from './MessagesPage.tsx';
import { OutsideViewPage } from './OutsideView.tsx';
import { PageDataScope, PortalChromeFragment, useSectionsInView, type PortalChromeData } from './pageQuery.tsx';
import { PetsPage } from './PetsPage.tsx';
import { ReportCardsPage } from './ReportCardsPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';
import { CustomerStaffAccessFragment, StaffAccessSeedContext, type StaffAccessSeed } from './staffAccess.ts';
import type { StaffAccessFieldsFragment } from '../gql/graphql.ts';
import { StaffPresenceNotice } from './StaffPresenceNotice.tsx';

/** The header's part of every page query (pageQuery.tsx). */
export const PortalHeaderFragment = graphql(`
  fragment PortalHeader on Query {
    me {
      id
      name
    }
  }
`);

interface Section {
  href: string;
  label: string;
  icon: IconName;
  page: () => ReactNode;
  /** The scope's section (none: Home, which shows what the scope allows). */
  section?: ViewSection;
}

export const PORTAL_SECTIONS: Section[] = [
  { href: '/', label: 'Home', icon: 'home', page: () => <HomePage /> },
  {
    href: '/appointments',
    label: SECTION_LABELS.APPOINTMENTS,
    icon: 'calendar',
    page: () => <AppointmentsPage />,
    section: 'APPOINTMENTS',
  },
  { href: '/pets', label: SECTION_LABELS.PETS, icon: 'paw', page: () => <PetsPage />, section: 'PETS' },
  {
    href: '/report-cards',
    label: SECTION_LABELS.REPORT_CARDS,
    icon: 'clipboard',
    page: () => <ReportCardsPage />,
    section: 'REPORT_CARDS',
  },
  { href: '/billing', label: SECTION_LABELS.BILLING, icon: 'card', page: () => <BillingPage />, section: 'BILLING' },
  {
    href: '/messages',
    label: SECTION_LABELS.MESSAGES,
    icon: 'chat',
    page: () => <MessagesPage />,
    section: 'MESSAGES',
  },
  {
    href: '/settings',
    label: SECTION_LABELS.SETTINGS,
    icon: 'sliders',
    page: () => <SettingsPage />,
    section: 'SETTINGS',
  },
];

/**
 * On a narrow screen the sections are one row of tabs that scrolls sideways: bring the current one
 * into view (centred where it can be) without scrolling the page itself.
 */
function scrollCurrentTabIntoView(nav: HTMLElement | null) {
  const current = nav?.querySelector<HTMLElement>('[aria-current="page"]');
  if (!nav || !current || nav.scrollWidth <= nav.clientWidth) return;
  const navBox = nav.getBoundingClientRect();
  const tabBox = current.getBoundingClientRect();
  nav.scrollLeft += tabBox.left + tabBox.width / 2 - (navBox.left + navBox.width / 2);
}

const sectionFor = (path: string) =>
  PORTAL_SECTIONS.find((s) => (s.href === '/' ? path === '/' : path === s.href || path.startsWith(`${s.href}/`)));

export function PortalApp() {
  const { path } = useLocation();
  const { signOut, session } = useSession();
  // The header shows what the latest page's query brought; it stays while the next one loads.
  const [page, setPage] = useState<PortalChromeData | null>(null);
  const chrome = useFragment(PortalChromeFragment, page);
  const header = useFragment(PortalHeaderFragment, chrome);
  // The customer's own pages bring her staff-access section (none under a staff view).
  const staffAccess = useFragment(CustomerStaffAccessFragment, chrome)?.me as StaffAccessFieldsFragment | undefined;
  const customer = session.kind === 'CUSTOMER';
  const seed = useMemo<StaffAccessSeed>(
    () => ({ seeded: customer, data: customer ? (staffAccess ?? null) : null }),
    [customer, staffAccess],
  );
  const section = sectionFor(path);
  const nav = useRef<HTMLElement>(null);
  // A scoped staff view: its other sections stay in the navigation, marked, and open a placeholder.
  const inView = useSectionsInView();
  const outside = (s: Section | undefined) => s?.section !== undefined && !showsSection(inView, s.section);
  const shown = section ?? PORTAL_SECTIONS[0]!;

  useEffect(() => {
    if (!section) navigate('/', { replace: true });
  }, [section]);
  useEffect(() => {
    document.title = `${section?.label ?? 'Home'} · Tidy Tails Grooming`;
  }, [section]);
  useEffect(() => scrollCurrentTabIntoView(nav.current), [section]);

  const name = header?.me.name;
  return (
    <PageDataScope onPage={setPage}>
      <StaffAccessSeedContext.Provider value={seed}>
        <div className="portal">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="portal-header">
            {/* Named by what it shows ("Tidy Tails Grooming"), then where it leads. */}
            <Link href="/" className="brand">
              <span className="brand__mark" aria-hidden="true">
                <Icon name="paw" size={22} />
              </span>
              <span className="brand__name">Tidy Tails</span> <span className="brand__tag">Grooming</span>
              <span className="visually-hidden">, home</span>
            </Link>
            <div className="portal-header__account">
              {name && (
                <span className="avatar" aria-hidden="true">
                  {name.charAt(0)}
                </span>
              )}
              <span className="portal-header__name">{name ?? ''}</span>
              <MutatingButton className="button button--ghost button--small" onClick={signOut}>
                <Icon name="logout" size={16} /> Sign out
              </MutatingButton>
            </div>
          </header>
          <div className="portal-body">
            <nav className="portal-nav" aria-label="Portal sections" ref={nav}>
              <ul>
                {PORTAL_SECTIONS.map((s) => (
                  <li key={s.href}>
                    <Link
                      href={s.href}
                      className={outside(s) ? 'portal-nav__link portal-nav__link--outside' : 'portal-nav__link'}
                      aria-current={s === section ? 'page' : undefined}
                      data-outside-view={outside(s) ? '' : undefined}
                      // Named as one phrase (a hidden text beside the label would be read with a break).
                      aria-label={outside(s) ? `${s.label}, not part of this view` : undefined}
                    >
                      <Icon name={s.icon} />
                      <span>{s.label}</span>
                      {outside(s) && (
                        <span className="portal-nav__outside-mark" aria-hidden="true">
                          <Icon name="lock" size={14} />
                        </span>
                      )}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <main id="main" className="portal-main" tabIndex={-1}>
              {/* Who is viewing the account, and requests to view it: the customer's own, never inside a staff view. */}
              {session.kind === 'CUSTOMER' && <StaffPresenceNotice />}
              {session.kind === 'CUSTOMER' && <AccessRequestNotice />}
              {outside(shown) && shown.section ? <OutsideViewPage section={shown.section} /> : shown.page()}
            </main>
          </div>
        </div>
      </StaffAccessSeedContext.Provider>
    </PageDataScope>
  );
}
