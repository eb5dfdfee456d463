// Which app the tab shows follows from the session alone: sign-in, the admin app, the portal, or
// the portal under a staff view. URLs are then normalised within that app.
import { AdminApp } from './admin/AdminApp.tsx';
import { useSession } from './auth/session.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { StaffView } from './impersonation/StaffView.tsx';
import { PortalApp } from './portal/PortalApp.tsx';

export function App() {
  const { session } = useSession();
  switch (session.kind) {
    case 'ANONYMOUS':
      return <SignInPage />;
    case 'STAFF':
      return <AdminApp />;
    case 'CUSTOMER':
      return <PortalApp />;
    case 'IMPERSONATION':
      return (
        <StaffView sessionId={session.sessionId}>
          <PortalApp />
        </StaffView>
      );
  }
}
