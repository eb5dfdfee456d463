// A section outside a scoped staff view's scope (SPEC 10): the page says so calmly and asks for
// nothing of that section. Its one query is the chrome's (pageQuery.tsx), so the header's name and
// the staff banner stay right when the page is opened directly. Only a staff view gets here: the
// customer's own portal shows every section.
import { graphql } from '../gql/gql.ts';
import { Icon } from '../ui/icons.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { outsideViewText, SECTION_LABELS, type Section } from '../staffViewScope.ts';
import { usePortalPageQuery } from './pageQuery.tsx';

const OutsideViewPageQuery = graphql(`
  query OutsideViewPage($staffView: Boolean!) {
    ...PortalChrome
  }
`);

export function OutsideViewPage({ section }: { section: Section }) {
  usePortalPageQuery(OutsideViewPageQuery);
  return (
    <>
      <PageHeader title={SECTION_LABELS[section]} />
      <div className="outside-view" data-testid="outside-view">
        <span className="outside-view__icon" aria-hidden="true">
          <Icon name="lock" size={22} />
        </span>
        <p>
          <strong>{outsideViewText([section])}.</strong>
        </p>
        <p className="muted">
          This view was started for other parts of the portal. What it shows is chosen when it starts; seeing more is a
          new view with its own reason.
        </p>
      </div>
    </>
  );
}
