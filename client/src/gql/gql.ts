/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AccessRequestFields on AccessRequest {\n    id\n    state\n    reason\n    createdAt\n    expiresAt\n    needsCustomer\n    needsManager\n    scope\n    scopeNeed\n    awaitingCustomer\n    awaitingManager\n    declinedByCustomer\n    customerApprovedAt\n    approvedBy {\n      id\n      name\n    }\n    declinedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n  }\n": typeof types.AccessRequestFieldsFragmentDoc,
    "\n  subscription AccessRequestLive($id: ID!) {\n    accessRequest(id: $id) {\n      ...AccessRequestFields\n    }\n  }\n": typeof types.AccessRequestLiveDocument,
    "\n  fragment ActiveSessionFields on ImpersonationSession {\n    id\n    reason\n    startedAt\n    expiresAt\n    extendedAt\n    remainingSeconds\n    tamperIncidents\n    ticket\n    ticketUrl\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": typeof types.ActiveSessionFieldsFragmentDoc,
    "\n  query ActiveSessions {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n": typeof types.ActiveSessionsDocument,
    "\n  subscription ActiveSessionsLive {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n": typeof types.ActiveSessionsLiveDocument,
    "\n  mutation TerminateStaffView($sessionId: ID!, $reason: String!, $customerMessage: String) {\n    terminateImpersonation(sessionId: $sessionId, reason: $reason, customerMessage: $customerMessage) {\n      id\n      state\n      endReason\n    }\n  }\n": typeof types.TerminateStaffViewDocument,
    "\n  query AdminViewer {\n    viewer {\n      kind\n      staff {\n        id\n        name\n        role\n        canImpersonate\n      }\n    }\n  }\n": typeof types.AdminViewerDocument,
    "\n  query AdminCustomers($search: String) {\n    customers(search: $search) {\n      id\n      name\n      email\n      phone\n      status\n      petNames\n      protected\n      staffAccess\n    }\n  }\n": typeof types.AdminCustomersDocument,
    "\n  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {\n    setCustomerProtected(customerId: $customerId, protected: $protected) {\n      id\n      protected\n    }\n  }\n": typeof types.SetCustomerProtectedDocument,
    "\n  fragment GovernanceRequestFields on GovernanceRequest {\n    id\n    kind\n    state\n    reason\n    createdAt\n    expiresAt\n    coolingOffUntil\n    canApprove\n    canDecline\n    canCancel\n    requestedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n    targetStaff {\n      id\n      name\n    }\n  }\n": typeof types.GovernanceRequestFieldsFragmentDoc,
    "\n  query GovernanceRequests {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n": typeof types.GovernanceRequestsDocument,
    "\n  subscription GovernanceRequestsLive {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n": typeof types.GovernanceRequestsLiveDocument,
    "\n  mutation ApproveGovernanceChange($requestId: ID!) {\n    approveGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": typeof types.ApproveGovernanceChangeDocument,
    "\n  mutation DeclineGovernanceChange($requestId: ID!, $note: String!) {\n    declineGovernanceChange(requestId: $requestId, note: $note) {\n      id\n      state\n    }\n  }\n": typeof types.DeclineGovernanceChangeDocument,
    "\n  mutation CancelGovernanceChange($requestId: ID!) {\n    cancelGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": typeof types.CancelGovernanceChangeDocument,
    "\n  mutation RequestGovernanceChange($input: GovernanceChangeInput!) {\n    requestGovernanceChange(input: $input) {\n      id\n      state\n      coolingOffUntil\n      expiresAt\n    }\n  }\n": typeof types.RequestGovernanceChangeDocument,
    "\n  fragment StaffViewApprovalFields on AccessRequest {\n    id\n    reason\n    createdAt\n    expiresAt\n    canAnswer\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": typeof types.StaffViewApprovalFieldsFragmentDoc,
    "\n  query StaffViewApprovals {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n": typeof types.StaffViewApprovalsDocument,
    "\n  subscription StaffViewApprovalsLive {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n": typeof types.StaffViewApprovalsLiveDocument,
    "\n  mutation ApproveStaffView($requestId: ID!) {\n    approveStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": typeof types.ApproveStaffViewDocument,
    "\n  mutation DeclineStaffView($requestId: ID!) {\n    declineStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": typeof types.DeclineStaffViewDocument,
    "\n  mutation DisableStaffViews($reason: String!) {\n    disableStaffViews(reason: $reason) {\n      ...StaffViewControlsFields\n    }\n  }\n": typeof types.DisableStaffViewsDocument,
    "\n  mutation StepUp($password: String!) {\n    stepUp(password: $password) {\n      validUntil\n    }\n  }\n": typeof types.StepUpDocument,
    "\n  query TicketPolicy {\n    ticketPolicy {\n      required\n      maxLength\n    }\n  }\n": typeof types.TicketPolicyDocument,
    "\n  mutation StartStaffView(\n    $customerId: ID!\n    $reason: String!\n    $scope: StaffViewScopeInput!\n    $password: String\n    $emergency: EmergencyAccessInput\n    $ticket: String\n  ) {\n    startImpersonation(\n      customerId: $customerId\n      reason: $reason\n      scope: $scope\n      password: $password\n      emergency: $emergency\n      ticket: $ticket\n    ) {\n      status\n      token\n      session {\n        id\n        scope\n      }\n      accessRequest {\n        ...AccessRequestFields\n      }\n    }\n  }\n": typeof types.StartStaffViewDocument,
    "\n  mutation EndOwnStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n    }\n  }\n": typeof types.EndOwnStaffViewDocument,
    "\n  subscription AlertsBadge {\n    alerts {\n      unacknowledgedCount\n    }\n  }\n": typeof types.AlertsBadgeDocument,
    "\n  subscription AlertsLive($rule: AlertRule) {\n    alerts {\n      unacknowledgedCount\n      alerts(rule: $rule) {\n        id\n        rule\n        ruleDescription\n        summary\n        staffName\n        customerName\n        createdAt\n        acknowledgedAt\n        acknowledgedByName\n        ackNote\n      }\n    }\n  }\n": typeof types.AlertsLiveDocument,
    "\n  query AlertRules {\n    alertRules {\n      rule\n      description\n      enabled\n      threshold\n      thresholdUnit\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n": typeof types.AlertRulesDocument,
    "\n  mutation AcknowledgeAlert($alertId: ID!, $note: String!) {\n    acknowledgeAlert(alertId: $alertId, note: $note) {\n      id\n      acknowledgedAt\n      acknowledgedByName\n      ackNote\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  mutation UpdateAlertRule(\n    $rule: AlertRule!\n    $enabled: Boolean\n    $threshold: Int\n    $businessHoursStart: String\n    $businessHoursEnd: String\n  ) {\n    updateAlertRule(\n      rule: $rule\n      enabled: $enabled\n      threshold: $threshold\n      businessHoursStart: $businessHoursStart\n      businessHoursEnd: $businessHoursEnd\n    ) {\n      rule\n      enabled\n      threshold\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n": typeof types.UpdateAlertRuleDocument,
    "\n  query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          action\n          outcome\n          staffId\n          staffName\n          customerId\n          customerName\n          sessionId\n          page\n          shown\n          headerOnly\n          operationName\n          operationType\n          rootFields\n          variables\n          errorCode\n          reason\n          requestId\n          ip\n          userAgent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query AuditFilterOptions {\n    staffMembers {\n      id\n      name\n      role\n    }\n    customers {\n      id\n      name\n    }\n  }\n": typeof types.AuditFilterOptionsDocument,
    "\n  query StaffAccessReport($year: Int, $month: Int) {\n    staffAccessReport(year: $year, month: $month) {\n      year\n      month\n      timeZone\n      totalViews\n      staff {\n        staffId\n        staffName\n        views\n        customers\n        refusedAttempts\n        breakGlass\n        alerts\n        reasons {\n          label\n          count\n        }\n        scopes {\n          label\n          count\n        }\n      }\n      alertsByRule {\n        label\n        count\n      }\n      reviews {\n        label\n        count\n      }\n    }\n  }\n": typeof types.StaffAccessReportDocument,
    "\n  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {\n    auditSessions(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          staffName\n          customerId\n          customerName\n          reason\n          ticket\n          scope\n          alertCount\n          startedAt\n          endedAt\n          state\n          endedByName\n          approvedByName\n          deniedAttempts\n          partialAttempts\n          pagesViewed {\n            page\n            views\n            shown\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditSessionsDocument,
    "\n  query AuditSession($id: ID!) {\n    auditSession(id: $id) {\n      id\n      state\n      reason\n      ticket\n      ticketUrl\n      scope\n      scopeNeed\n      startedAt\n      expiresAt\n      extendedAt\n      endedAt\n      endReason\n      endedByName\n      approvedByName\n      staffName\n      customerName\n      deniedAttempts\n      partialAttempts\n      tamperIncidents\n      pagesViewed {\n        page\n        views\n        records {\n          type\n          count\n        }\n      }\n    }\n  }\n": typeof types.AuditSessionDocument,
    "\n  query BreakGlassReviews {\n    breakGlassReviews {\n      id\n      category\n      customerWords\n      justification\n      reason\n      bypassedConsent\n      bypassedFourEyes\n      usedBy\n      customer {\n        id\n        name\n      }\n      startedAt\n      endedAt\n      dueAt\n      overdue\n      escalatedAt\n      reviewedAt\n      decision\n      note\n      reviewer {\n        id\n        name\n      }\n      canReview\n    }\n  }\n": typeof types.BreakGlassReviewsDocument,
    "\n  mutation ReviewBreakGlass($id: ID!, $decision: BreakGlassDecision!, $note: String!) {\n    reviewBreakGlass(id: $id, decision: $decision, note: $note) {\n      id\n      decision\n      note\n      reviewedAt\n      canReview\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ReviewBreakGlassDocument,
    "\n  query AccessReviews {\n    accessReviews {\n      id\n      sequence\n      open\n      periodStart\n      openedAt\n      deadlineAt\n      salonTimeZone\n      items {\n        id\n        views\n        protectedViews\n        breakGlassUses\n        decision\n        decidedAt\n        note\n        viewRightSuspended\n        canDecide\n        staff {\n          id\n          name\n        }\n        decidedBy {\n          name\n        }\n      }\n    }\n  }\n": typeof types.AccessReviewsDocument,
    "\n  mutation ConfirmAccessReviewItem($itemId: ID!) {\n    confirmAccessReviewItem(itemId: $itemId) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n": typeof types.ConfirmAccessReviewItemDocument,
    "\n  mutation RemoveAccessReviewItem($itemId: ID!, $note: String!) {\n    removeAccessReviewItem(itemId: $itemId, note: $note) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n": typeof types.RemoveAccessReviewItemDocument,
    "\n  query AccessReviewCsv($reviewId: ID!) {\n    accessReviewCsv(reviewId: $reviewId) {\n      fileName\n      content\n    }\n  }\n": typeof types.AccessReviewCsvDocument,
    "\n  query ImpersonationPolicy {\n    impersonationPolicy {\n      reasonMinLength\n      reasonMaxLength\n      terminateReasonMinLength\n      durationMinutes\n      extensionMinutes\n      breakGlassMinutes\n    }\n  }\n": typeof types.ImpersonationPolicyDocument,
    "\n  fragment StaffViewControlsFields on StaffViewControls {\n    enabled\n    reason\n    changedAt\n    changedByName\n    stepUpRequired\n    stepUpMinutes\n    disableReasonMinLength\n    reasonMaxLength\n  }\n": typeof types.StaffViewControlsFieldsFragmentDoc,
    "\n  query StaffViewControls {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n": typeof types.StaffViewControlsDocument,
    "\n  subscription StaffViewControlsLive {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n": typeof types.StaffViewControlsLiveDocument,
    "\n  query WebhookEndpoints {\n    webhookEndpoints {\n      id\n      name\n      url\n      createdAt\n      disabledAt\n    }\n  }\n": typeof types.WebhookEndpointsDocument,
    "\n  query WebhookDeliveries($after: String) {\n    webhookDeliveries(first: 25, after: $after) {\n      edges {\n        node {\n          id\n          endpointName\n          eventType\n          status\n          attempts\n          createdAt\n          lastAttemptAt\n          lastStatusCode\n          lastError\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation AddWebhookEndpoint($name: String!, $url: String!) {\n    addWebhookEndpoint(name: $name, url: $url) {\n      secret\n      endpoint {\n        id\n        name\n        url\n        createdAt\n        disabledAt\n      }\n    }\n  }\n": typeof types.AddWebhookEndpointDocument,
    "\n  mutation DisableWebhookEndpoint($endpointId: ID!) {\n    disableWebhookEndpoint(endpointId: $endpointId) {\n      id\n      disabledAt\n    }\n  }\n": typeof types.DisableWebhookEndpointDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      token\n      kind\n      expiresAt\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  mutation RevealStaffViewField($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {\n    revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) {\n      id\n      field\n      recordId\n    }\n  }\n": typeof types.RevealStaffViewFieldDocument,
    "\n  fragment StaffViewSession on Query {\n    currentImpersonation {\n      id\n      reason\n      scope\n      ticket\n      startedAt\n      expiresAt\n      remainingSeconds\n      canExtend\n      state\n      endReason\n      customer {\n        id\n        name\n      }\n      staff {\n        id\n        name\n      }\n    }\n    impersonationPolicy {\n      extensionMinutes\n    }\n  }\n": typeof types.StaffViewSessionFragmentDoc,
    "\n  subscription StaffViewStatus {\n    impersonationSession {\n      sessionId\n      state\n      remainingSeconds\n      expiresAt\n      serverTime\n      endReason\n      canExtend\n      extensionAvailableAt\n    }\n  }\n": typeof types.StaffViewStatusDocument,
    "\n  mutation ExtendStaffView($sessionId: ID!) {\n    extendImpersonation(sessionId: $sessionId) {\n      id\n      expiresAt\n      extendedAt\n      canExtend\n      remainingSeconds\n    }\n  }\n": typeof types.ExtendStaffViewDocument,
    "\n  mutation EndStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n": typeof types.EndStaffViewDocument,
    "\n  mutation ReportStaffViewTampering($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {\n    reportStaffViewTampering(marks: $marks, how: $how) {\n      counted\n      incidents\n      limit\n      ended\n    }\n  }\n": typeof types.ReportStaffViewTamperingDocument,
    "\n  query EndedStaffView($id: ID!) {\n    impersonationSession(id: $id) {\n      id\n      state\n      endReason\n      customerWords\n      endedAt\n      endedBy {\n        id\n        name\n      }\n      customer {\n        id\n        name\n      }\n    }\n  }\n": typeof types.EndedStaffViewDocument,
    "\n  mutation EndLeftoverStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n": typeof types.EndLeftoverStaffViewDocument,
    "\n  mutation ApproveAccessRequest($requestId: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    approveAccessRequest(requestId: $requestId, duration: $duration, sections: $sections) {\n      id\n      state\n      awaitingCustomer\n      scope\n    }\n  }\n": typeof types.ApproveAccessRequestDocument,
    "\n  mutation DeclineAccessRequest($requestId: ID!) {\n    declineAccessRequest(requestId: $requestId) {\n      id\n      state\n      awaitingCustomer\n    }\n  }\n": typeof types.DeclineAccessRequestDocument,
    "\n  mutation ConfirmAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n": typeof types.ConfirmAppointmentDocument,
    "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTime!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n": typeof types.RescheduleAppointmentDocument,
    "\n  mutation CancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n": typeof types.CancelAppointmentDocument,
    "\n  mutation UpdateAppointmentNotes($id: ID!, $notes: String!) {\n    updateAppointmentNotes(id: $id, notes: $notes) {\n      id\n      customerNotes\n    }\n  }\n": typeof types.UpdateAppointmentNotesDocument,
    "\n  fragment AppointmentFields on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    canChange\n    customerNotes\n    service {\n      id\n      name\n    }\n    pet {\n      id\n      name\n    }\n    groomer {\n      id\n      name\n    }\n    reportCard @include(if: $withReportCards) {\n      id\n    }\n    invoice @include(if: $withBilling) {\n      id\n      number\n      status\n      totalCents\n    }\n  }\n": typeof types.AppointmentFieldsFragmentDoc,
    "\n  query AppointmentsPage(\n    $staffView: Boolean!\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      upcoming: appointments(upcoming: true) {\n        ...AppointmentFields\n      }\n      past: appointments(upcoming: false) {\n        ...AppointmentFields\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n      }\n    }\n    services {\n      id\n      name\n      description\n      basePriceCents\n      durationMinutes\n      isAddOn\n    }\n    groomers {\n      id\n      name\n    }\n  }\n": typeof types.AppointmentsPageDocument,
    "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id\n      startsAt\n      status\n      pet {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n    }\n  }\n": typeof types.BookAppointmentDocument,
    "\n  query HomePage(\n    $staffView: Boolean!\n    $withAppointments: Boolean = true\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n    $withMessages: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      name\n      appointments(upcoming: true) @include(if: $withAppointments) {\n        id\n        startsAt\n        status\n        canChange\n        service {\n          id\n          name\n        }\n        pet {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n      }\n      invoices @include(if: $withBilling) {\n        id\n        status\n        totalCents\n      }\n      messages @include(if: $withMessages) {\n        id\n        body\n        sender\n        sentAt\n        staffName\n      }\n    }\n    reportCards @include(if: $withReportCards) {\n      id\n      mood\n      conditionNotes\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.HomePageDocument,
    "\n  query MessagesPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      messages {\n        id\n        body\n        sender\n        sentAt\n        staffName\n        staffViewMasked\n      }\n    }\n  }\n": typeof types.MessagesPageDocument,
    "\n  mutation SendMessage($body: String!) {\n    sendMessage(body: $body) {\n      id\n      body\n      sender\n      sentAt\n      staffName\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  query OutsideViewPage($staffView: Boolean!) {\n    ...PortalChrome\n  }\n": typeof types.OutsideViewPageDocument,
    "\n  query PetsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      pets {\n        id\n        name\n        species\n        breed\n        weightKg\n        birthDate\n        size\n        coatType\n        healthAlerts\n        groomingNotes\n        cutStyle\n        staffViewMasked\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n        appointments @include(if: $withAppointments) {\n          id\n          startsAt\n          status\n        }\n      }\n    }\n  }\n": typeof types.PetsPageDocument,
    "\n  fragment PortalHeader on Query {\n    me {\n      id\n      name\n    }\n  }\n": typeof types.PortalHeaderFragmentDoc,
    "\n  query ReportCardsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    reportCards {\n      id\n      mood\n      conditionNotes\n      nextRecommendedDate\n      createdAt\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ReportCardsPageDocument,
    "\n  query SettingsPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      name\n      email\n      phone\n      address\n      staffViewMasked\n      timeZone\n      notificationSwitches {\n        id\n        category\n        channel\n        enabled\n      }\n      staffAccessLog {\n        id\n        staffName\n        summary\n        reason\n        emergency\n        startedAt\n        expiresAt\n        extendedAt\n        endedAt\n        endState\n        endReason\n      }\n    }\n  }\n": typeof types.SettingsPageDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      name\n      phone\n      address\n      timeZone\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation UpdateNotificationPreferences($preferences: [NotificationPreferenceInput!]!) {\n    updateNotificationPreferences(preferences: $preferences) {\n      id\n      category\n      channel\n      enabled\n    }\n  }\n": typeof types.UpdateNotificationPreferencesDocument,
    "\n  query StaffAccessHistory($olderThan: ID) {\n    myStaffAccessHistory(olderThan: $olderThan) {\n      fileName\n      content\n      views\n      complete\n      nextOlderThan\n    }\n  }\n": typeof types.StaffAccessHistoryDocument,
    "\n  mutation SetStaffAccessPreference($preference: StaffAccessPreference!) {\n    setStaffAccessPreference(preference: $preference) {\n      id\n      staffAccess\n    }\n  }\n": typeof types.SetStaffAccessPreferenceDocument,
    "\n  mutation GrantStaffAccess($duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    grantStaffAccess(duration: $duration, sections: $sections) {\n      id\n      expiresAt\n      scope\n    }\n  }\n": typeof types.GrantStaffAccessDocument,
    "\n  mutation RevokeStaffAccess($grantId: ID!) {\n    revokeStaffAccess(grantId: $grantId) {\n      id\n      active\n    }\n  }\n": typeof types.RevokeStaffAccessDocument,
    "\n  mutation LiftStaffViewBlock($blockId: ID!) {\n    liftStaffViewBlock(blockId: $blockId) {\n      id\n      active\n    }\n  }\n": typeof types.LiftStaffViewBlockDocument,
    "\n  subscription StaffPresenceLive {\n    staffPresence {\n      id\n      staffName\n      salonName\n      reason\n      startedAt\n    }\n  }\n": typeof types.StaffPresenceLiveDocument,
    "\n  mutation StopStaffView($sessionId: ID!, $message: String, $keepPermission: Boolean) {\n    stopStaffView(sessionId: $sessionId, message: $message, keepPermission: $keepPermission) {\n      staffName\n      stoppedAt\n      grantWithdrawn\n      blockedUntil\n    }\n  }\n": typeof types.StopStaffViewDocument,
    "\n  mutation AddPaymentMethod($input: AddPaymentMethodInput!) {\n    addPaymentMethod(input: $input) {\n      id\n      brand\n      last4\n      expMonth\n      expYear\n      isDefault\n    }\n  }\n": typeof types.AddPaymentMethodDocument,
    "\n  query BillingPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        paidAt\n        paidWith\n        staffViewMasked\n        subtotalCents\n        taxCents\n        tipCents\n        totalCents\n        appointment @include(if: $withAppointments) {\n          id\n          startsAt\n          pet {\n            id\n            name\n          }\n          service {\n            id\n            name\n          }\n        }\n      }\n      paymentMethods {\n        id\n        brand\n        last4\n        expMonth\n        expYear\n        isDefault\n        staffViewMasked\n      }\n    }\n  }\n": typeof types.BillingPageDocument,
    "\n  mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {\n    payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {\n      id\n      status\n      tipCents\n      totalCents\n      paidAt\n      paidWith\n    }\n  }\n": typeof types.PayInvoiceDocument,
    "\n  mutation RemovePaymentMethod($id: ID!) {\n    removePaymentMethod(id: $id)\n  }\n": typeof types.RemovePaymentMethodDocument,
    "\n  fragment PortalChrome on Query {\n    ...PortalHeader\n    ...CustomerStaffAccess @skip(if: $staffView)\n    ...StaffViewSession @include(if: $staffView)\n  }\n": typeof types.PortalChromeFragmentDoc,
    "\n  fragment StaffAccessFields on Customer {\n    id\n    staffAccess\n    timeZone\n    accessGrants {\n      id\n      createdAt\n      expiresAt\n      scope\n    }\n    accessRequests {\n      id\n      staffName\n      reason\n      createdAt\n      expiresAt\n      state\n      awaitingCustomer\n      needsCustomer\n      scope\n    }\n    staffViewBlocks {\n      id\n      staffName\n      cause\n      until\n    }\n  }\n": typeof types.StaffAccessFieldsFragmentDoc,
    "\n  fragment CustomerStaffAccess on Query {\n    me {\n      ...StaffAccessFields\n    }\n  }\n": typeof types.CustomerStaffAccessFragmentDoc,
    "\n  query StaffAccess {\n    me {\n      ...StaffAccessFields\n    }\n  }\n": typeof types.StaffAccessDocument,
    "\n  subscription StaffAccessLive {\n    myStaffAccess {\n      ...StaffAccessFields\n    }\n  }\n": typeof types.StaffAccessLiveDocument,
    "\n  mutation SetTimeZone($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      timeZone\n    }\n  }\n": typeof types.SetTimeZoneDocument,
};
const documents: Documents = {
    "\n  fragment AccessRequestFields on AccessRequest {\n    id\n    state\n    reason\n    createdAt\n    expiresAt\n    needsCustomer\n    needsManager\n    scope\n    scopeNeed\n    awaitingCustomer\n    awaitingManager\n    declinedByCustomer\n    customerApprovedAt\n    approvedBy {\n      id\n      name\n    }\n    declinedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n  }\n": types.AccessRequestFieldsFragmentDoc,
    "\n  subscription AccessRequestLive($id: ID!) {\n    accessRequest(id: $id) {\n      ...AccessRequestFields\n    }\n  }\n": types.AccessRequestLiveDocument,
    "\n  fragment ActiveSessionFields on ImpersonationSession {\n    id\n    reason\n    startedAt\n    expiresAt\n    extendedAt\n    remainingSeconds\n    tamperIncidents\n    ticket\n    ticketUrl\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": types.ActiveSessionFieldsFragmentDoc,
    "\n  query ActiveSessions {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n": types.ActiveSessionsDocument,
    "\n  subscription ActiveSessionsLive {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n": types.ActiveSessionsLiveDocument,
    "\n  mutation TerminateStaffView($sessionId: ID!, $reason: String!, $customerMessage: String) {\n    terminateImpersonation(sessionId: $sessionId, reason: $reason, customerMessage: $customerMessage) {\n      id\n      state\n      endReason\n    }\n  }\n": types.TerminateStaffViewDocument,
    "\n  query AdminViewer {\n    viewer {\n      kind\n      staff {\n        id\n        name\n        role\n        canImpersonate\n      }\n    }\n  }\n": types.AdminViewerDocument,
    "\n  query AdminCustomers($search: String) {\n    customers(search: $search) {\n      id\n      name\n      email\n      phone\n      status\n      petNames\n      protected\n      staffAccess\n    }\n  }\n": types.AdminCustomersDocument,
    "\n  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {\n    setCustomerProtected(customerId: $customerId, protected: $protected) {\n      id\n      protected\n    }\n  }\n": types.SetCustomerProtectedDocument,
    "\n  fragment GovernanceRequestFields on GovernanceRequest {\n    id\n    kind\n    state\n    reason\n    createdAt\n    expiresAt\n    coolingOffUntil\n    canApprove\n    canDecline\n    canCancel\n    requestedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n    targetStaff {\n      id\n      name\n    }\n  }\n": types.GovernanceRequestFieldsFragmentDoc,
    "\n  query GovernanceRequests {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n": types.GovernanceRequestsDocument,
    "\n  subscription GovernanceRequestsLive {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n": types.GovernanceRequestsLiveDocument,
    "\n  mutation ApproveGovernanceChange($requestId: ID!) {\n    approveGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": types.ApproveGovernanceChangeDocument,
    "\n  mutation DeclineGovernanceChange($requestId: ID!, $note: String!) {\n    declineGovernanceChange(requestId: $requestId, note: $note) {\n      id\n      state\n    }\n  }\n": types.DeclineGovernanceChangeDocument,
    "\n  mutation CancelGovernanceChange($requestId: ID!) {\n    cancelGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": types.CancelGovernanceChangeDocument,
    "\n  mutation RequestGovernanceChange($input: GovernanceChangeInput!) {\n    requestGovernanceChange(input: $input) {\n      id\n      state\n      coolingOffUntil\n      expiresAt\n    }\n  }\n": types.RequestGovernanceChangeDocument,
    "\n  fragment StaffViewApprovalFields on AccessRequest {\n    id\n    reason\n    createdAt\n    expiresAt\n    canAnswer\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n": types.StaffViewApprovalFieldsFragmentDoc,
    "\n  query StaffViewApprovals {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n": types.StaffViewApprovalsDocument,
    "\n  subscription StaffViewApprovalsLive {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n": types.StaffViewApprovalsLiveDocument,
    "\n  mutation ApproveStaffView($requestId: ID!) {\n    approveStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": types.ApproveStaffViewDocument,
    "\n  mutation DeclineStaffView($requestId: ID!) {\n    declineStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n": types.DeclineStaffViewDocument,
    "\n  mutation DisableStaffViews($reason: String!) {\n    disableStaffViews(reason: $reason) {\n      ...StaffViewControlsFields\n    }\n  }\n": types.DisableStaffViewsDocument,
    "\n  mutation StepUp($password: String!) {\n    stepUp(password: $password) {\n      validUntil\n    }\n  }\n": types.StepUpDocument,
    "\n  query TicketPolicy {\n    ticketPolicy {\n      required\n      maxLength\n    }\n  }\n": types.TicketPolicyDocument,
    "\n  mutation StartStaffView(\n    $customerId: ID!\n    $reason: String!\n    $scope: StaffViewScopeInput!\n    $password: String\n    $emergency: EmergencyAccessInput\n    $ticket: String\n  ) {\n    startImpersonation(\n      customerId: $customerId\n      reason: $reason\n      scope: $scope\n      password: $password\n      emergency: $emergency\n      ticket: $ticket\n    ) {\n      status\n      token\n      session {\n        id\n        scope\n      }\n      accessRequest {\n        ...AccessRequestFields\n      }\n    }\n  }\n": types.StartStaffViewDocument,
    "\n  mutation EndOwnStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n    }\n  }\n": types.EndOwnStaffViewDocument,
    "\n  subscription AlertsBadge {\n    alerts {\n      unacknowledgedCount\n    }\n  }\n": types.AlertsBadgeDocument,
    "\n  subscription AlertsLive($rule: AlertRule) {\n    alerts {\n      unacknowledgedCount\n      alerts(rule: $rule) {\n        id\n        rule\n        ruleDescription\n        summary\n        staffName\n        customerName\n        createdAt\n        acknowledgedAt\n        acknowledgedByName\n        ackNote\n      }\n    }\n  }\n": types.AlertsLiveDocument,
    "\n  query AlertRules {\n    alertRules {\n      rule\n      description\n      enabled\n      threshold\n      thresholdUnit\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n": types.AlertRulesDocument,
    "\n  mutation AcknowledgeAlert($alertId: ID!, $note: String!) {\n    acknowledgeAlert(alertId: $alertId, note: $note) {\n      id\n      acknowledgedAt\n      acknowledgedByName\n      ackNote\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  mutation UpdateAlertRule(\n    $rule: AlertRule!\n    $enabled: Boolean\n    $threshold: Int\n    $businessHoursStart: String\n    $businessHoursEnd: String\n  ) {\n    updateAlertRule(\n      rule: $rule\n      enabled: $enabled\n      threshold: $threshold\n      businessHoursStart: $businessHoursStart\n      businessHoursEnd: $businessHoursEnd\n    ) {\n      rule\n      enabled\n      threshold\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n": types.UpdateAlertRuleDocument,
    "\n  query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          action\n          outcome\n          staffId\n          staffName\n          customerId\n          customerName\n          sessionId\n          page\n          shown\n          headerOnly\n          operationName\n          operationType\n          rootFields\n          variables\n          errorCode\n          reason\n          requestId\n          ip\n          userAgent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query AuditFilterOptions {\n    staffMembers {\n      id\n      name\n      role\n    }\n    customers {\n      id\n      name\n    }\n  }\n": types.AuditFilterOptionsDocument,
    "\n  query StaffAccessReport($year: Int, $month: Int) {\n    staffAccessReport(year: $year, month: $month) {\n      year\n      month\n      timeZone\n      totalViews\n      staff {\n        staffId\n        staffName\n        views\n        customers\n        refusedAttempts\n        breakGlass\n        alerts\n        reasons {\n          label\n          count\n        }\n        scopes {\n          label\n          count\n        }\n      }\n      alertsByRule {\n        label\n        count\n      }\n      reviews {\n        label\n        count\n      }\n    }\n  }\n": types.StaffAccessReportDocument,
    "\n  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {\n    auditSessions(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          staffName\n          customerId\n          customerName\n          reason\n          ticket\n          scope\n          alertCount\n          startedAt\n          endedAt\n          state\n          endedByName\n          approvedByName\n          deniedAttempts\n          partialAttempts\n          pagesViewed {\n            page\n            views\n            shown\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditSessionsDocument,
    "\n  query AuditSession($id: ID!) {\n    auditSession(id: $id) {\n      id\n      state\n      reason\n      ticket\n      ticketUrl\n      scope\n      scopeNeed\n      startedAt\n      expiresAt\n      extendedAt\n      endedAt\n      endReason\n      endedByName\n      approvedByName\n      staffName\n      customerName\n      deniedAttempts\n      partialAttempts\n      tamperIncidents\n      pagesViewed {\n        page\n        views\n        records {\n          type\n          count\n        }\n      }\n    }\n  }\n": types.AuditSessionDocument,
    "\n  query BreakGlassReviews {\n    breakGlassReviews {\n      id\n      category\n      customerWords\n      justification\n      reason\n      bypassedConsent\n      bypassedFourEyes\n      usedBy\n      customer {\n        id\n        name\n      }\n      startedAt\n      endedAt\n      dueAt\n      overdue\n      escalatedAt\n      reviewedAt\n      decision\n      note\n      reviewer {\n        id\n        name\n      }\n      canReview\n    }\n  }\n": types.BreakGlassReviewsDocument,
    "\n  mutation ReviewBreakGlass($id: ID!, $decision: BreakGlassDecision!, $note: String!) {\n    reviewBreakGlass(id: $id, decision: $decision, note: $note) {\n      id\n      decision\n      note\n      reviewedAt\n      canReview\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": types.ReviewBreakGlassDocument,
    "\n  query AccessReviews {\n    accessReviews {\n      id\n      sequence\n      open\n      periodStart\n      openedAt\n      deadlineAt\n      salonTimeZone\n      items {\n        id\n        views\n        protectedViews\n        breakGlassUses\n        decision\n        decidedAt\n        note\n        viewRightSuspended\n        canDecide\n        staff {\n          id\n          name\n        }\n        decidedBy {\n          name\n        }\n      }\n    }\n  }\n": types.AccessReviewsDocument,
    "\n  mutation ConfirmAccessReviewItem($itemId: ID!) {\n    confirmAccessReviewItem(itemId: $itemId) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n": types.ConfirmAccessReviewItemDocument,
    "\n  mutation RemoveAccessReviewItem($itemId: ID!, $note: String!) {\n    removeAccessReviewItem(itemId: $itemId, note: $note) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n": types.RemoveAccessReviewItemDocument,
    "\n  query AccessReviewCsv($reviewId: ID!) {\n    accessReviewCsv(reviewId: $reviewId) {\n      fileName\n      content\n    }\n  }\n": types.AccessReviewCsvDocument,
    "\n  query ImpersonationPolicy {\n    impersonationPolicy {\n      reasonMinLength\n      reasonMaxLength\n      terminateReasonMinLength\n      durationMinutes\n      extensionMinutes\n      breakGlassMinutes\n    }\n  }\n": types.ImpersonationPolicyDocument,
    "\n  fragment StaffViewControlsFields on StaffViewControls {\n    enabled\n    reason\n    changedAt\n    changedByName\n    stepUpRequired\n    stepUpMinutes\n    disableReasonMinLength\n    reasonMaxLength\n  }\n": types.StaffViewControlsFieldsFragmentDoc,
    "\n  query StaffViewControls {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n": types.StaffViewControlsDocument,
    "\n  subscription StaffViewControlsLive {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n": types.StaffViewControlsLiveDocument,
    "\n  query WebhookEndpoints {\n    webhookEndpoints {\n      id\n      name\n      url\n      createdAt\n      disabledAt\n    }\n  }\n": types.WebhookEndpointsDocument,
    "\n  query WebhookDeliveries($after: String) {\n    webhookDeliveries(first: 25, after: $after) {\n      edges {\n        node {\n          id\n          endpointName\n          eventType\n          status\n          attempts\n          createdAt\n          lastAttemptAt\n          lastStatusCode\n          lastError\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation AddWebhookEndpoint($name: String!, $url: String!) {\n    addWebhookEndpoint(name: $name, url: $url) {\n      secret\n      endpoint {\n        id\n        name\n        url\n        createdAt\n        disabledAt\n      }\n    }\n  }\n": types.AddWebhookEndpointDocument,
    "\n  mutation DisableWebhookEndpoint($endpointId: ID!) {\n    disableWebhookEndpoint(endpointId: $endpointId) {\n      id\n      disabledAt\n    }\n  }\n": types.DisableWebhookEndpointDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      token\n      kind\n      expiresAt\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  mutation RevealStaffViewField($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {\n    revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) {\n      id\n      field\n      recordId\n    }\n  }\n": types.RevealStaffViewFieldDocument,
    "\n  fragment StaffViewSession on Query {\n    currentImpersonation {\n      id\n      reason\n      scope\n      ticket\n      startedAt\n      expiresAt\n      remainingSeconds\n      canExtend\n      state\n      endReason\n      customer {\n        id\n        name\n      }\n      staff {\n        id\n        name\n      }\n    }\n    impersonationPolicy {\n      extensionMinutes\n    }\n  }\n": types.StaffViewSessionFragmentDoc,
    "\n  subscription StaffViewStatus {\n    impersonationSession {\n      sessionId\n      state\n      remainingSeconds\n      expiresAt\n      serverTime\n      endReason\n      canExtend\n      extensionAvailableAt\n    }\n  }\n": types.StaffViewStatusDocument,
    "\n  mutation ExtendStaffView($sessionId: ID!) {\n    extendImpersonation(sessionId: $sessionId) {\n      id\n      expiresAt\n      extendedAt\n      canExtend\n      remainingSeconds\n    }\n  }\n": types.ExtendStaffViewDocument,
    "\n  mutation EndStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n": types.EndStaffViewDocument,
    "\n  mutation ReportStaffViewTampering($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {\n    reportStaffViewTampering(marks: $marks, how: $how) {\n      counted\n      incidents\n      limit\n      ended\n    }\n  }\n": types.ReportStaffViewTamperingDocument,
    "\n  query EndedStaffView($id: ID!) {\n    impersonationSession(id: $id) {\n      id\n      state\n      endReason\n      customerWords\n      endedAt\n      endedBy {\n        id\n        name\n      }\n      customer {\n        id\n        name\n      }\n    }\n  }\n": types.EndedStaffViewDocument,
    "\n  mutation EndLeftoverStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n": types.EndLeftoverStaffViewDocument,
    "\n  mutation ApproveAccessRequest($requestId: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    approveAccessRequest(requestId: $requestId, duration: $duration, sections: $sections) {\n      id\n      state\n      awaitingCustomer\n      scope\n    }\n  }\n": types.ApproveAccessRequestDocument,
    "\n  mutation DeclineAccessRequest($requestId: ID!) {\n    declineAccessRequest(requestId: $requestId) {\n      id\n      state\n      awaitingCustomer\n    }\n  }\n": types.DeclineAccessRequestDocument,
    "\n  mutation ConfirmAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n": types.ConfirmAppointmentDocument,
    "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTime!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n": types.RescheduleAppointmentDocument,
    "\n  mutation CancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n": types.CancelAppointmentDocument,
    "\n  mutation UpdateAppointmentNotes($id: ID!, $notes: String!) {\n    updateAppointmentNotes(id: $id, notes: $notes) {\n      id\n      customerNotes\n    }\n  }\n": types.UpdateAppointmentNotesDocument,
    "\n  fragment AppointmentFields on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    canChange\n    customerNotes\n    service {\n      id\n      name\n    }\n    pet {\n      id\n      name\n    }\n    groomer {\n      id\n      name\n    }\n    reportCard @include(if: $withReportCards) {\n      id\n    }\n    invoice @include(if: $withBilling) {\n      id\n      number\n      status\n      totalCents\n    }\n  }\n": types.AppointmentFieldsFragmentDoc,
    "\n  query AppointmentsPage(\n    $staffView: Boolean!\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      upcoming: appointments(upcoming: true) {\n        ...AppointmentFields\n      }\n      past: appointments(upcoming: false) {\n        ...AppointmentFields\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n      }\n    }\n    services {\n      id\n      name\n      description\n      basePriceCents\n      durationMinutes\n      isAddOn\n    }\n    groomers {\n      id\n      name\n    }\n  }\n": types.AppointmentsPageDocument,
    "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id\n      startsAt\n      status\n      pet {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n    }\n  }\n": types.BookAppointmentDocument,
    "\n  query HomePage(\n    $staffView: Boolean!\n    $withAppointments: Boolean = true\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n    $withMessages: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      name\n      appointments(upcoming: true) @include(if: $withAppointments) {\n        id\n        startsAt\n        status\n        canChange\n        service {\n          id\n          name\n        }\n        pet {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n      }\n      invoices @include(if: $withBilling) {\n        id\n        status\n        totalCents\n      }\n      messages @include(if: $withMessages) {\n        id\n        body\n        sender\n        sentAt\n        staffName\n      }\n    }\n    reportCards @include(if: $withReportCards) {\n      id\n      mood\n      conditionNotes\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.HomePageDocument,
    "\n  query MessagesPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      messages {\n        id\n        body\n        sender\n        sentAt\n        staffName\n        staffViewMasked\n      }\n    }\n  }\n": types.MessagesPageDocument,
    "\n  mutation SendMessage($body: String!) {\n    sendMessage(body: $body) {\n      id\n      body\n      sender\n      sentAt\n      staffName\n    }\n  }\n": types.SendMessageDocument,
    "\n  query OutsideViewPage($staffView: Boolean!) {\n    ...PortalChrome\n  }\n": types.OutsideViewPageDocument,
    "\n  query PetsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      pets {\n        id\n        name\n        species\n        breed\n        weightKg\n        birthDate\n        size\n        coatType\n        healthAlerts\n        groomingNotes\n        cutStyle\n        staffViewMasked\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n        appointments @include(if: $withAppointments) {\n          id\n          startsAt\n          status\n        }\n      }\n    }\n  }\n": types.PetsPageDocument,
    "\n  fragment PortalHeader on Query {\n    me {\n      id\n      name\n    }\n  }\n": types.PortalHeaderFragmentDoc,
    "\n  query ReportCardsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    reportCards {\n      id\n      mood\n      conditionNotes\n      nextRecommendedDate\n      createdAt\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ReportCardsPageDocument,
    "\n  query SettingsPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      name\n      email\n      phone\n      address\n      staffViewMasked\n      timeZone\n      notificationSwitches {\n        id\n        category\n        channel\n        enabled\n      }\n      staffAccessLog {\n        id\n        staffName\n        summary\n        reason\n        emergency\n        startedAt\n        expiresAt\n        extendedAt\n        endedAt\n        endState\n        endReason\n      }\n    }\n  }\n": types.SettingsPageDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      name\n      phone\n      address\n      timeZone\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation UpdateNotificationPreferences($preferences: [NotificationPreferenceInput!]!) {\n    updateNotificationPreferences(preferences: $preferences) {\n      id\n      category\n      channel\n      enabled\n    }\n  }\n": types.UpdateNotificationPreferencesDocument,
    "\n  query StaffAccessHistory($olderThan: ID) {\n    myStaffAccessHistory(olderThan: $olderThan) {\n      fileName\n      content\n      views\n      complete\n      nextOlderThan\n    }\n  }\n": types.StaffAccessHistoryDocument,
    "\n  mutation SetStaffAccessPreference($preference: StaffAccessPreference!) {\n    setStaffAccessPreference(preference: $preference) {\n      id\n      staffAccess\n    }\n  }\n": types.SetStaffAccessPreferenceDocument,
    "\n  mutation GrantStaffAccess($duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    grantStaffAccess(duration: $duration, sections: $sections) {\n      id\n      expiresAt\n      scope\n    }\n  }\n": types.GrantStaffAccessDocument,
    "\n  mutation RevokeStaffAccess($grantId: ID!) {\n    revokeStaffAccess(grantId: $grantId) {\n      id\n      active\n    }\n  }\n": types.RevokeStaffAccessDocument,
    "\n  mutation LiftStaffViewBlock($blockId: ID!) {\n    liftStaffViewBlock(blockId: $blockId) {\n      id\n      active\n    }\n  }\n": types.LiftStaffViewBlockDocument,
    "\n  subscription StaffPresenceLive {\n    staffPresence {\n      id\n      staffName\n      salonName\n      reason\n      startedAt\n    }\n  }\n": types.StaffPresenceLiveDocument,
    "\n  mutation StopStaffView($sessionId: ID!, $message: String, $keepPermission: Boolean) {\n    stopStaffView(sessionId: $sessionId, message: $message, keepPermission: $keepPermission) {\n      staffName\n      stoppedAt\n      grantWithdrawn\n      blockedUntil\n    }\n  }\n": types.StopStaffViewDocument,
    "\n  mutation AddPaymentMethod($input: AddPaymentMethodInput!) {\n    addPaymentMethod(input: $input) {\n      id\n      brand\n      last4\n      expMonth\n      expYear\n      isDefault\n    }\n  }\n": types.AddPaymentMethodDocument,
    "\n  query BillingPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        paidAt\n        paidWith\n        staffViewMasked\n        subtotalCents\n        taxCents\n        tipCents\n        totalCents\n        appointment @include(if: $withAppointments) {\n          id\n          startsAt\n          pet {\n            id\n            name\n          }\n          service {\n            id\n            name\n          }\n        }\n      }\n      paymentMethods {\n        id\n        brand\n        last4\n        expMonth\n        expYear\n        isDefault\n        staffViewMasked\n      }\n    }\n  }\n": types.BillingPageDocument,
    "\n  mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {\n    payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {\n      id\n      status\n      tipCents\n      totalCents\n      paidAt\n      paidWith\n    }\n  }\n": types.PayInvoiceDocument,
    "\n  mutation RemovePaymentMethod($id: ID!) {\n    removePaymentMethod(id: $id)\n  }\n": types.RemovePaymentMethodDocument,
    "\n  fragment PortalChrome on Query {\n    ...PortalHeader\n    ...CustomerStaffAccess @skip(if: $staffView)\n    ...StaffViewSession @include(if: $staffView)\n  }\n": types.PortalChromeFragmentDoc,
    "\n  fragment StaffAccessFields on Customer {\n    id\n    staffAccess\n    timeZone\n    accessGrants {\n      id\n      createdAt\n      expiresAt\n      scope\n    }\n    accessRequests {\n      id\n      staffName\n      reason\n      createdAt\n      expiresAt\n      state\n      awaitingCustomer\n      needsCustomer\n      scope\n    }\n    staffViewBlocks {\n      id\n      staffName\n      cause\n      until\n    }\n  }\n": types.StaffAccessFieldsFragmentDoc,
    "\n  fragment CustomerStaffAccess on Query {\n    me {\n      ...StaffAccessFields\n    }\n  }\n": types.CustomerStaffAccessFragmentDoc,
    "\n  query StaffAccess {\n    me {\n      ...StaffAccessFields\n    }\n  }\n": types.StaffAccessDocument,
    "\n  subscription StaffAccessLive {\n    myStaffAccess {\n      ...StaffAccessFields\n    }\n  }\n": types.StaffAccessLiveDocument,
    "\n  mutation SetTimeZone($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      timeZone\n    }\n  }\n": types.SetTimeZoneDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessRequestFields on AccessRequest {\n    id\n    state\n    reason\n    createdAt\n    expiresAt\n    needsCustomer\n    needsManager\n    scope\n    scopeNeed\n    awaitingCustomer\n    awaitingManager\n    declinedByCustomer\n    customerApprovedAt\n    approvedBy {\n      id\n      name\n    }\n    declinedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment AccessRequestFields on AccessRequest {\n    id\n    state\n    reason\n    createdAt\n    expiresAt\n    needsCustomer\n    needsManager\n    scope\n    scopeNeed\n    awaitingCustomer\n    awaitingManager\n    declinedByCustomer\n    customerApprovedAt\n    approvedBy {\n      id\n      name\n    }\n    declinedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AccessRequestLive($id: ID!) {\n    accessRequest(id: $id) {\n      ...AccessRequestFields\n    }\n  }\n"): (typeof documents)["\n  subscription AccessRequestLive($id: ID!) {\n    accessRequest(id: $id) {\n      ...AccessRequestFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActiveSessionFields on ImpersonationSession {\n    id\n    reason\n    startedAt\n    expiresAt\n    extendedAt\n    remainingSeconds\n    tamperIncidents\n    ticket\n    ticketUrl\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment ActiveSessionFields on ImpersonationSession {\n    id\n    reason\n    startedAt\n    expiresAt\n    extendedAt\n    remainingSeconds\n    tamperIncidents\n    ticket\n    ticketUrl\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActiveSessions {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n"): (typeof documents)["\n  query ActiveSessions {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ActiveSessionsLive {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n"): (typeof documents)["\n  subscription ActiveSessionsLive {\n    activeImpersonationSessions {\n      ...ActiveSessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TerminateStaffView($sessionId: ID!, $reason: String!, $customerMessage: String) {\n    terminateImpersonation(sessionId: $sessionId, reason: $reason, customerMessage: $customerMessage) {\n      id\n      state\n      endReason\n    }\n  }\n"): (typeof documents)["\n  mutation TerminateStaffView($sessionId: ID!, $reason: String!, $customerMessage: String) {\n    terminateImpersonation(sessionId: $sessionId, reason: $reason, customerMessage: $customerMessage) {\n      id\n      state\n      endReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminViewer {\n    viewer {\n      kind\n      staff {\n        id\n        name\n        role\n        canImpersonate\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminViewer {\n    viewer {\n      kind\n      staff {\n        id\n        name\n        role\n        canImpersonate\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminCustomers($search: String) {\n    customers(search: $search) {\n      id\n      name\n      email\n      phone\n      status\n      petNames\n      protected\n      staffAccess\n    }\n  }\n"): (typeof documents)["\n  query AdminCustomers($search: String) {\n    customers(search: $search) {\n      id\n      name\n      email\n      phone\n      status\n      petNames\n      protected\n      staffAccess\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {\n    setCustomerProtected(customerId: $customerId, protected: $protected) {\n      id\n      protected\n    }\n  }\n"): (typeof documents)["\n  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {\n    setCustomerProtected(customerId: $customerId, protected: $protected) {\n      id\n      protected\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GovernanceRequestFields on GovernanceRequest {\n    id\n    kind\n    state\n    reason\n    createdAt\n    expiresAt\n    coolingOffUntil\n    canApprove\n    canDecline\n    canCancel\n    requestedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n    targetStaff {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment GovernanceRequestFields on GovernanceRequest {\n    id\n    kind\n    state\n    reason\n    createdAt\n    expiresAt\n    coolingOffUntil\n    canApprove\n    canDecline\n    canCancel\n    requestedBy {\n      id\n      name\n    }\n    customer {\n      id\n      name\n    }\n    targetStaff {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GovernanceRequests {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n"): (typeof documents)["\n  query GovernanceRequests {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GovernanceRequestsLive {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n"): (typeof documents)["\n  subscription GovernanceRequestsLive {\n    governanceRequests {\n      ...GovernanceRequestFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveGovernanceChange($requestId: ID!) {\n    approveGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveGovernanceChange($requestId: ID!) {\n    approveGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineGovernanceChange($requestId: ID!, $note: String!) {\n    declineGovernanceChange(requestId: $requestId, note: $note) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineGovernanceChange($requestId: ID!, $note: String!) {\n    declineGovernanceChange(requestId: $requestId, note: $note) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelGovernanceChange($requestId: ID!) {\n    cancelGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation CancelGovernanceChange($requestId: ID!) {\n    cancelGovernanceChange(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestGovernanceChange($input: GovernanceChangeInput!) {\n    requestGovernanceChange(input: $input) {\n      id\n      state\n      coolingOffUntil\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation RequestGovernanceChange($input: GovernanceChangeInput!) {\n    requestGovernanceChange(input: $input) {\n      id\n      state\n      coolingOffUntil\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StaffViewApprovalFields on AccessRequest {\n    id\n    reason\n    createdAt\n    expiresAt\n    canAnswer\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment StaffViewApprovalFields on AccessRequest {\n    id\n    reason\n    createdAt\n    expiresAt\n    canAnswer\n    staff {\n      id\n      name\n    }\n    customer {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffViewApprovals {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n"): (typeof documents)["\n  query StaffViewApprovals {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StaffViewApprovalsLive {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n"): (typeof documents)["\n  subscription StaffViewApprovalsLive {\n    staffViewApprovals {\n      ...StaffViewApprovalFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveStaffView($requestId: ID!) {\n    approveStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveStaffView($requestId: ID!) {\n    approveStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineStaffView($requestId: ID!) {\n    declineStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineStaffView($requestId: ID!) {\n    declineStaffViewRequest(requestId: $requestId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableStaffViews($reason: String!) {\n    disableStaffViews(reason: $reason) {\n      ...StaffViewControlsFields\n    }\n  }\n"): (typeof documents)["\n  mutation DisableStaffViews($reason: String!) {\n    disableStaffViews(reason: $reason) {\n      ...StaffViewControlsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StepUp($password: String!) {\n    stepUp(password: $password) {\n      validUntil\n    }\n  }\n"): (typeof documents)["\n  mutation StepUp($password: String!) {\n    stepUp(password: $password) {\n      validUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TicketPolicy {\n    ticketPolicy {\n      required\n      maxLength\n    }\n  }\n"): (typeof documents)["\n  query TicketPolicy {\n    ticketPolicy {\n      required\n      maxLength\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartStaffView(\n    $customerId: ID!\n    $reason: String!\n    $scope: StaffViewScopeInput!\n    $password: String\n    $emergency: EmergencyAccessInput\n    $ticket: String\n  ) {\n    startImpersonation(\n      customerId: $customerId\n      reason: $reason\n      scope: $scope\n      password: $password\n      emergency: $emergency\n      ticket: $ticket\n    ) {\n      status\n      token\n      session {\n        id\n        scope\n      }\n      accessRequest {\n        ...AccessRequestFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartStaffView(\n    $customerId: ID!\n    $reason: String!\n    $scope: StaffViewScopeInput!\n    $password: String\n    $emergency: EmergencyAccessInput\n    $ticket: String\n  ) {\n    startImpersonation(\n      customerId: $customerId\n      reason: $reason\n      scope: $scope\n      password: $password\n      emergency: $emergency\n      ticket: $ticket\n    ) {\n      status\n      token\n      session {\n        id\n        scope\n      }\n      accessRequest {\n        ...AccessRequestFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndOwnStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation EndOwnStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertsBadge {\n    alerts {\n      unacknowledgedCount\n    }\n  }\n"): (typeof documents)["\n  subscription AlertsBadge {\n    alerts {\n      unacknowledgedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertsLive($rule: AlertRule) {\n    alerts {\n      unacknowledgedCount\n      alerts(rule: $rule) {\n        id\n        rule\n        ruleDescription\n        summary\n        staffName\n        customerName\n        createdAt\n        acknowledgedAt\n        acknowledgedByName\n        ackNote\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AlertsLive($rule: AlertRule) {\n    alerts {\n      unacknowledgedCount\n      alerts(rule: $rule) {\n        id\n        rule\n        ruleDescription\n        summary\n        staffName\n        customerName\n        createdAt\n        acknowledgedAt\n        acknowledgedByName\n        ackNote\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRules {\n    alertRules {\n      rule\n      description\n      enabled\n      threshold\n      thresholdUnit\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  query AlertRules {\n    alertRules {\n      rule\n      description\n      enabled\n      threshold\n      thresholdUnit\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($alertId: ID!, $note: String!) {\n    acknowledgeAlert(alertId: $alertId, note: $note) {\n      id\n      acknowledgedAt\n      acknowledgedByName\n      ackNote\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($alertId: ID!, $note: String!) {\n    acknowledgeAlert(alertId: $alertId, note: $note) {\n      id\n      acknowledgedAt\n      acknowledgedByName\n      ackNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlertRule(\n    $rule: AlertRule!\n    $enabled: Boolean\n    $threshold: Int\n    $businessHoursStart: String\n    $businessHoursEnd: String\n  ) {\n    updateAlertRule(\n      rule: $rule\n      enabled: $enabled\n      threshold: $threshold\n      businessHoursStart: $businessHoursStart\n      businessHoursEnd: $businessHoursEnd\n    ) {\n      rule\n      enabled\n      threshold\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlertRule(\n    $rule: AlertRule!\n    $enabled: Boolean\n    $threshold: Int\n    $businessHoursStart: String\n    $businessHoursEnd: String\n  ) {\n    updateAlertRule(\n      rule: $rule\n      enabled: $enabled\n      threshold: $threshold\n      businessHoursStart: $businessHoursStart\n      businessHoursEnd: $businessHoursEnd\n    ) {\n      rule\n      enabled\n      threshold\n      businessHoursStart\n      businessHoursEnd\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          action\n          outcome\n          staffId\n          staffName\n          customerId\n          customerName\n          sessionId\n          page\n          shown\n          headerOnly\n          operationName\n          operationType\n          rootFields\n          variables\n          errorCode\n          reason\n          requestId\n          ip\n          userAgent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          action\n          outcome\n          staffId\n          staffName\n          customerId\n          customerName\n          sessionId\n          page\n          shown\n          headerOnly\n          operationName\n          operationType\n          rootFields\n          variables\n          errorCode\n          reason\n          requestId\n          ip\n          userAgent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditFilterOptions {\n    staffMembers {\n      id\n      name\n      role\n    }\n    customers {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AuditFilterOptions {\n    staffMembers {\n      id\n      name\n      role\n    }\n    customers {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffAccessReport($year: Int, $month: Int) {\n    staffAccessReport(year: $year, month: $month) {\n      year\n      month\n      timeZone\n      totalViews\n      staff {\n        staffId\n        staffName\n        views\n        customers\n        refusedAttempts\n        breakGlass\n        alerts\n        reasons {\n          label\n          count\n        }\n        scopes {\n          label\n          count\n        }\n      }\n      alertsByRule {\n        label\n        count\n      }\n      reviews {\n        label\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query StaffAccessReport($year: Int, $month: Int) {\n    staffAccessReport(year: $year, month: $month) {\n      year\n      month\n      timeZone\n      totalViews\n      staff {\n        staffId\n        staffName\n        views\n        customers\n        refusedAttempts\n        breakGlass\n        alerts\n        reasons {\n          label\n          count\n        }\n        scopes {\n          label\n          count\n        }\n      }\n      alertsByRule {\n        label\n        count\n      }\n      reviews {\n        label\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {\n    auditSessions(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          staffName\n          customerId\n          customerName\n          reason\n          ticket\n          scope\n          alertCount\n          startedAt\n          endedAt\n          state\n          endedByName\n          approvedByName\n          deniedAttempts\n          partialAttempts\n          pagesViewed {\n            page\n            views\n            shown\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {\n    auditSessions(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          staffName\n          customerId\n          customerName\n          reason\n          ticket\n          scope\n          alertCount\n          startedAt\n          endedAt\n          state\n          endedByName\n          approvedByName\n          deniedAttempts\n          partialAttempts\n          pagesViewed {\n            page\n            views\n            shown\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditSession($id: ID!) {\n    auditSession(id: $id) {\n      id\n      state\n      reason\n      ticket\n      ticketUrl\n      scope\n      scopeNeed\n      startedAt\n      expiresAt\n      extendedAt\n      endedAt\n      endReason\n      endedByName\n      approvedByName\n      staffName\n      customerName\n      deniedAttempts\n      partialAttempts\n      tamperIncidents\n      pagesViewed {\n        page\n        views\n        records {\n          type\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditSession($id: ID!) {\n    auditSession(id: $id) {\n      id\n      state\n      reason\n      ticket\n      ticketUrl\n      scope\n      scopeNeed\n      startedAt\n      expiresAt\n      extendedAt\n      endedAt\n      endReason\n      endedByName\n      approvedByName\n      staffName\n      customerName\n      deniedAttempts\n      partialAttempts\n      tamperIncidents\n      pagesViewed {\n        page\n        views\n        records {\n          type\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BreakGlassReviews {\n    breakGlassReviews {\n      id\n      category\n      customerWords\n      justification\n      reason\n      bypassedConsent\n      bypassedFourEyes\n      usedBy\n      customer {\n        id\n        name\n      }\n      startedAt\n      endedAt\n      dueAt\n      overdue\n      escalatedAt\n      reviewedAt\n      decision\n      note\n      reviewer {\n        id\n        name\n      }\n      canReview\n    }\n  }\n"): (typeof documents)["\n  query BreakGlassReviews {\n    breakGlassReviews {\n      id\n      category\n      customerWords\n      justification\n      reason\n      bypassedConsent\n      bypassedFourEyes\n      usedBy\n      customer {\n        id\n        name\n      }\n      startedAt\n      endedAt\n      dueAt\n      overdue\n      escalatedAt\n      reviewedAt\n      decision\n      note\n      reviewer {\n        id\n        name\n      }\n      canReview\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewBreakGlass($id: ID!, $decision: BreakGlassDecision!, $note: String!) {\n    reviewBreakGlass(id: $id, decision: $decision, note: $note) {\n      id\n      decision\n      note\n      reviewedAt\n      canReview\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReviewBreakGlass($id: ID!, $decision: BreakGlassDecision!, $note: String!) {\n    reviewBreakGlass(id: $id, decision: $decision, note: $note) {\n      id\n      decision\n      note\n      reviewedAt\n      canReview\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessReviews {\n    accessReviews {\n      id\n      sequence\n      open\n      periodStart\n      openedAt\n      deadlineAt\n      salonTimeZone\n      items {\n        id\n        views\n        protectedViews\n        breakGlassUses\n        decision\n        decidedAt\n        note\n        viewRightSuspended\n        canDecide\n        staff {\n          id\n          name\n        }\n        decidedBy {\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccessReviews {\n    accessReviews {\n      id\n      sequence\n      open\n      periodStart\n      openedAt\n      deadlineAt\n      salonTimeZone\n      items {\n        id\n        views\n        protectedViews\n        breakGlassUses\n        decision\n        decidedAt\n        note\n        viewRightSuspended\n        canDecide\n        staff {\n          id\n          name\n        }\n        decidedBy {\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmAccessReviewItem($itemId: ID!) {\n    confirmAccessReviewItem(itemId: $itemId) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmAccessReviewItem($itemId: ID!) {\n    confirmAccessReviewItem(itemId: $itemId) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAccessReviewItem($itemId: ID!, $note: String!) {\n    removeAccessReviewItem(itemId: $itemId, note: $note) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveAccessReviewItem($itemId: ID!, $note: String!) {\n    removeAccessReviewItem(itemId: $itemId, note: $note) {\n      id\n      decision\n      viewRightSuspended\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessReviewCsv($reviewId: ID!) {\n    accessReviewCsv(reviewId: $reviewId) {\n      fileName\n      content\n    }\n  }\n"): (typeof documents)["\n  query AccessReviewCsv($reviewId: ID!) {\n    accessReviewCsv(reviewId: $reviewId) {\n      fileName\n      content\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImpersonationPolicy {\n    impersonationPolicy {\n      reasonMinLength\n      reasonMaxLength\n      terminateReasonMinLength\n      durationMinutes\n      extensionMinutes\n      breakGlassMinutes\n    }\n  }\n"): (typeof documents)["\n  query ImpersonationPolicy {\n    impersonationPolicy {\n      reasonMinLength\n      reasonMaxLength\n      terminateReasonMinLength\n      durationMinutes\n      extensionMinutes\n      breakGlassMinutes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StaffViewControlsFields on StaffViewControls {\n    enabled\n    reason\n    changedAt\n    changedByName\n    stepUpRequired\n    stepUpMinutes\n    disableReasonMinLength\n    reasonMaxLength\n  }\n"): (typeof documents)["\n  fragment StaffViewControlsFields on StaffViewControls {\n    enabled\n    reason\n    changedAt\n    changedByName\n    stepUpRequired\n    stepUpMinutes\n    disableReasonMinLength\n    reasonMaxLength\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffViewControls {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n"): (typeof documents)["\n  query StaffViewControls {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StaffViewControlsLive {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n"): (typeof documents)["\n  subscription StaffViewControlsLive {\n    staffViewControls {\n      ...StaffViewControlsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoints {\n    webhookEndpoints {\n      id\n      name\n      url\n      createdAt\n      disabledAt\n    }\n  }\n"): (typeof documents)["\n  query WebhookEndpoints {\n    webhookEndpoints {\n      id\n      name\n      url\n      createdAt\n      disabledAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($after: String) {\n    webhookDeliveries(first: 25, after: $after) {\n      edges {\n        node {\n          id\n          endpointName\n          eventType\n          status\n          attempts\n          createdAt\n          lastAttemptAt\n          lastStatusCode\n          lastError\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($after: String) {\n    webhookDeliveries(first: 25, after: $after) {\n      edges {\n        node {\n          id\n          endpointName\n          eventType\n          status\n          attempts\n          createdAt\n          lastAttemptAt\n          lastStatusCode\n          lastError\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddWebhookEndpoint($name: String!, $url: String!) {\n    addWebhookEndpoint(name: $name, url: $url) {\n      secret\n      endpoint {\n        id\n        name\n        url\n        createdAt\n        disabledAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddWebhookEndpoint($name: String!, $url: String!) {\n    addWebhookEndpoint(name: $name, url: $url) {\n      secret\n      endpoint {\n        id\n        name\n        url\n        createdAt\n        disabledAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableWebhookEndpoint($endpointId: ID!) {\n    disableWebhookEndpoint(endpointId: $endpointId) {\n      id\n      disabledAt\n    }\n  }\n"): (typeof documents)["\n  mutation DisableWebhookEndpoint($endpointId: ID!) {\n    disableWebhookEndpoint(endpointId: $endpointId) {\n      id\n      disabledAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      token\n      kind\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      token\n      kind\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevealStaffViewField($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {\n    revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) {\n      id\n      field\n      recordId\n    }\n  }\n"): (typeof documents)["\n  mutation RevealStaffViewField($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {\n    revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) {\n      id\n      field\n      recordId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StaffViewSession on Query {\n    currentImpersonation {\n      id\n      reason\n      scope\n      ticket\n      startedAt\n      expiresAt\n      remainingSeconds\n      canExtend\n      state\n      endReason\n      customer {\n        id\n        name\n      }\n      staff {\n        id\n        name\n      }\n    }\n    impersonationPolicy {\n      extensionMinutes\n    }\n  }\n"): (typeof documents)["\n  fragment StaffViewSession on Query {\n    currentImpersonation {\n      id\n      reason\n      scope\n      ticket\n      startedAt\n      expiresAt\n      remainingSeconds\n      canExtend\n      state\n      endReason\n      customer {\n        id\n        name\n      }\n      staff {\n        id\n        name\n      }\n    }\n    impersonationPolicy {\n      extensionMinutes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StaffViewStatus {\n    impersonationSession {\n      sessionId\n      state\n      remainingSeconds\n      expiresAt\n      serverTime\n      endReason\n      canExtend\n      extensionAvailableAt\n    }\n  }\n"): (typeof documents)["\n  subscription StaffViewStatus {\n    impersonationSession {\n      sessionId\n      state\n      remainingSeconds\n      expiresAt\n      serverTime\n      endReason\n      canExtend\n      extensionAvailableAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExtendStaffView($sessionId: ID!) {\n    extendImpersonation(sessionId: $sessionId) {\n      id\n      expiresAt\n      extendedAt\n      canExtend\n      remainingSeconds\n    }\n  }\n"): (typeof documents)["\n  mutation ExtendStaffView($sessionId: ID!) {\n    extendImpersonation(sessionId: $sessionId) {\n      id\n      expiresAt\n      extendedAt\n      canExtend\n      remainingSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n"): (typeof documents)["\n  mutation EndStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportStaffViewTampering($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {\n    reportStaffViewTampering(marks: $marks, how: $how) {\n      counted\n      incidents\n      limit\n      ended\n    }\n  }\n"): (typeof documents)["\n  mutation ReportStaffViewTampering($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {\n    reportStaffViewTampering(marks: $marks, how: $how) {\n      counted\n      incidents\n      limit\n      ended\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EndedStaffView($id: ID!) {\n    impersonationSession(id: $id) {\n      id\n      state\n      endReason\n      customerWords\n      endedAt\n      endedBy {\n        id\n        name\n      }\n      customer {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query EndedStaffView($id: ID!) {\n    impersonationSession(id: $id) {\n      id\n      state\n      endReason\n      customerWords\n      endedAt\n      endedBy {\n        id\n        name\n      }\n      customer {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndLeftoverStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n"): (typeof documents)["\n  mutation EndLeftoverStaffView($sessionId: ID!) {\n    endImpersonation(sessionId: $sessionId) {\n      id\n      state\n      endReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveAccessRequest($requestId: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    approveAccessRequest(requestId: $requestId, duration: $duration, sections: $sections) {\n      id\n      state\n      awaitingCustomer\n      scope\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveAccessRequest($requestId: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    approveAccessRequest(requestId: $requestId, duration: $duration, sections: $sections) {\n      id\n      state\n      awaitingCustomer\n      scope\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineAccessRequest($requestId: ID!) {\n    declineAccessRequest(requestId: $requestId) {\n      id\n      state\n      awaitingCustomer\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineAccessRequest($requestId: ID!) {\n    declineAccessRequest(requestId: $requestId) {\n      id\n      state\n      awaitingCustomer\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmAppointment($id: ID!) {\n    confirmAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTime!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RescheduleAppointment($id: ID!, $startsAt: DateTime!) {\n    rescheduleAppointment(id: $id, startsAt: $startsAt) {\n      id\n      startsAt\n      endsAt\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n"): (typeof documents)["\n  mutation CancelAppointment($id: ID!) {\n    cancelAppointment(id: $id) {\n      id\n      status\n      canChange\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAppointmentNotes($id: ID!, $notes: String!) {\n    updateAppointmentNotes(id: $id, notes: $notes) {\n      id\n      customerNotes\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAppointmentNotes($id: ID!, $notes: String!) {\n    updateAppointmentNotes(id: $id, notes: $notes) {\n      id\n      customerNotes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AppointmentFields on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    canChange\n    customerNotes\n    service {\n      id\n      name\n    }\n    pet {\n      id\n      name\n    }\n    groomer {\n      id\n      name\n    }\n    reportCard @include(if: $withReportCards) {\n      id\n    }\n    invoice @include(if: $withBilling) {\n      id\n      number\n      status\n      totalCents\n    }\n  }\n"): (typeof documents)["\n  fragment AppointmentFields on Appointment {\n    id\n    startsAt\n    endsAt\n    status\n    canChange\n    customerNotes\n    service {\n      id\n      name\n    }\n    pet {\n      id\n      name\n    }\n    groomer {\n      id\n      name\n    }\n    reportCard @include(if: $withReportCards) {\n      id\n    }\n    invoice @include(if: $withBilling) {\n      id\n      number\n      status\n      totalCents\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppointmentsPage(\n    $staffView: Boolean!\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      upcoming: appointments(upcoming: true) {\n        ...AppointmentFields\n      }\n      past: appointments(upcoming: false) {\n        ...AppointmentFields\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n      }\n    }\n    services {\n      id\n      name\n      description\n      basePriceCents\n      durationMinutes\n      isAddOn\n    }\n    groomers {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AppointmentsPage(\n    $staffView: Boolean!\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      upcoming: appointments(upcoming: true) {\n        ...AppointmentFields\n      }\n      past: appointments(upcoming: false) {\n        ...AppointmentFields\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n      }\n    }\n    services {\n      id\n      name\n      description\n      basePriceCents\n      durationMinutes\n      isAddOn\n    }\n    groomers {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id\n      startsAt\n      status\n      pet {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation BookAppointment($input: BookAppointmentInput!) {\n    bookAppointment(input: $input) {\n      id\n      startsAt\n      status\n      pet {\n        id\n        name\n      }\n      service {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomePage(\n    $staffView: Boolean!\n    $withAppointments: Boolean = true\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n    $withMessages: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      name\n      appointments(upcoming: true) @include(if: $withAppointments) {\n        id\n        startsAt\n        status\n        canChange\n        service {\n          id\n          name\n        }\n        pet {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n      }\n      invoices @include(if: $withBilling) {\n        id\n        status\n        totalCents\n      }\n      messages @include(if: $withMessages) {\n        id\n        body\n        sender\n        sentAt\n        staffName\n      }\n    }\n    reportCards @include(if: $withReportCards) {\n      id\n      mood\n      conditionNotes\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query HomePage(\n    $staffView: Boolean!\n    $withAppointments: Boolean = true\n    $withPets: Boolean = true\n    $withReportCards: Boolean = true\n    $withBilling: Boolean = true\n    $withMessages: Boolean = true\n  ) {\n    ...PortalChrome\n    me {\n      id\n      name\n      appointments(upcoming: true) @include(if: $withAppointments) {\n        id\n        startsAt\n        status\n        canChange\n        service {\n          id\n          name\n        }\n        pet {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n      pets @include(if: $withPets) {\n        id\n        name\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n      }\n      invoices @include(if: $withBilling) {\n        id\n        status\n        totalCents\n      }\n      messages @include(if: $withMessages) {\n        id\n        body\n        sender\n        sentAt\n        staffName\n      }\n    }\n    reportCards @include(if: $withReportCards) {\n      id\n      mood\n      conditionNotes\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagesPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      messages {\n        id\n        body\n        sender\n        sentAt\n        staffName\n        staffViewMasked\n      }\n    }\n  }\n"): (typeof documents)["\n  query MessagesPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      messages {\n        id\n        body\n        sender\n        sentAt\n        staffName\n        staffViewMasked\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($body: String!) {\n    sendMessage(body: $body) {\n      id\n      body\n      sender\n      sentAt\n      staffName\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($body: String!) {\n    sendMessage(body: $body) {\n      id\n      body\n      sender\n      sentAt\n      staffName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OutsideViewPage($staffView: Boolean!) {\n    ...PortalChrome\n  }\n"): (typeof documents)["\n  query OutsideViewPage($staffView: Boolean!) {\n    ...PortalChrome\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PetsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      pets {\n        id\n        name\n        species\n        breed\n        weightKg\n        birthDate\n        size\n        coatType\n        healthAlerts\n        groomingNotes\n        cutStyle\n        staffViewMasked\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n        appointments @include(if: $withAppointments) {\n          id\n          startsAt\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PetsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      pets {\n        id\n        name\n        species\n        breed\n        weightKg\n        birthDate\n        size\n        coatType\n        healthAlerts\n        groomingNotes\n        cutStyle\n        staffViewMasked\n        vaccinations {\n          id\n          name\n          expiresOn\n          status\n        }\n        appointments @include(if: $withAppointments) {\n          id\n          startsAt\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PortalHeader on Query {\n    me {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment PortalHeader on Query {\n    me {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportCardsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    reportCards {\n      id\n      mood\n      conditionNotes\n      nextRecommendedDate\n      createdAt\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportCardsPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    reportCards {\n      id\n      mood\n      conditionNotes\n      nextRecommendedDate\n      createdAt\n      appointment @include(if: $withAppointments) {\n        id\n        startsAt\n        pet {\n          id\n          name\n        }\n        service {\n          id\n          name\n        }\n        groomer {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      name\n      email\n      phone\n      address\n      staffViewMasked\n      timeZone\n      notificationSwitches {\n        id\n        category\n        channel\n        enabled\n      }\n      staffAccessLog {\n        id\n        staffName\n        summary\n        reason\n        emergency\n        startedAt\n        expiresAt\n        extendedAt\n        endedAt\n        endState\n        endReason\n      }\n    }\n  }\n"): (typeof documents)["\n  query SettingsPage($staffView: Boolean!) {\n    ...PortalChrome\n    me {\n      id\n      name\n      email\n      phone\n      address\n      staffViewMasked\n      timeZone\n      notificationSwitches {\n        id\n        category\n        channel\n        enabled\n      }\n      staffAccessLog {\n        id\n        staffName\n        summary\n        reason\n        emergency\n        startedAt\n        expiresAt\n        extendedAt\n        endedAt\n        endState\n        endReason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      name\n      phone\n      address\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      name\n      phone\n      address\n      timeZone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationPreferences($preferences: [NotificationPreferenceInput!]!) {\n    updateNotificationPreferences(preferences: $preferences) {\n      id\n      category\n      channel\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationPreferences($preferences: [NotificationPreferenceInput!]!) {\n    updateNotificationPreferences(preferences: $preferences) {\n      id\n      category\n      channel\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffAccessHistory($olderThan: ID) {\n    myStaffAccessHistory(olderThan: $olderThan) {\n      fileName\n      content\n      views\n      complete\n      nextOlderThan\n    }\n  }\n"): (typeof documents)["\n  query StaffAccessHistory($olderThan: ID) {\n    myStaffAccessHistory(olderThan: $olderThan) {\n      fileName\n      content\n      views\n      complete\n      nextOlderThan\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetStaffAccessPreference($preference: StaffAccessPreference!) {\n    setStaffAccessPreference(preference: $preference) {\n      id\n      staffAccess\n    }\n  }\n"): (typeof documents)["\n  mutation SetStaffAccessPreference($preference: StaffAccessPreference!) {\n    setStaffAccessPreference(preference: $preference) {\n      id\n      staffAccess\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantStaffAccess($duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    grantStaffAccess(duration: $duration, sections: $sections) {\n      id\n      expiresAt\n      scope\n    }\n  }\n"): (typeof documents)["\n  mutation GrantStaffAccess($duration: AccessGrantDuration!, $sections: [PortalSection!]) {\n    grantStaffAccess(duration: $duration, sections: $sections) {\n      id\n      expiresAt\n      scope\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeStaffAccess($grantId: ID!) {\n    revokeStaffAccess(grantId: $grantId) {\n      id\n      active\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeStaffAccess($grantId: ID!) {\n    revokeStaffAccess(grantId: $grantId) {\n      id\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiftStaffViewBlock($blockId: ID!) {\n    liftStaffViewBlock(blockId: $blockId) {\n      id\n      active\n    }\n  }\n"): (typeof documents)["\n  mutation LiftStaffViewBlock($blockId: ID!) {\n    liftStaffViewBlock(blockId: $blockId) {\n      id\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StaffPresenceLive {\n    staffPresence {\n      id\n      staffName\n      salonName\n      reason\n      startedAt\n    }\n  }\n"): (typeof documents)["\n  subscription StaffPresenceLive {\n    staffPresence {\n      id\n      staffName\n      salonName\n      reason\n      startedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopStaffView($sessionId: ID!, $message: String, $keepPermission: Boolean) {\n    stopStaffView(sessionId: $sessionId, message: $message, keepPermission: $keepPermission) {\n      staffName\n      stoppedAt\n      grantWithdrawn\n      blockedUntil\n    }\n  }\n"): (typeof documents)["\n  mutation StopStaffView($sessionId: ID!, $message: String, $keepPermission: Boolean) {\n    stopStaffView(sessionId: $sessionId, message: $message, keepPermission: $keepPermission) {\n      staffName\n      stoppedAt\n      grantWithdrawn\n      blockedUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddPaymentMethod($input: AddPaymentMethodInput!) {\n    addPaymentMethod(input: $input) {\n      id\n      brand\n      last4\n      expMonth\n      expYear\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation AddPaymentMethod($input: AddPaymentMethodInput!) {\n    addPaymentMethod(input: $input) {\n      id\n      brand\n      last4\n      expMonth\n      expYear\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        paidAt\n        paidWith\n        staffViewMasked\n        subtotalCents\n        taxCents\n        tipCents\n        totalCents\n        appointment @include(if: $withAppointments) {\n          id\n          startsAt\n          pet {\n            id\n            name\n          }\n          service {\n            id\n            name\n          }\n        }\n      }\n      paymentMethods {\n        id\n        brand\n        last4\n        expMonth\n        expYear\n        isDefault\n        staffViewMasked\n      }\n    }\n  }\n"): (typeof documents)["\n  query BillingPage($staffView: Boolean!, $withAppointments: Boolean = true) {\n    ...PortalChrome\n    me {\n      id\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        paidAt\n        paidWith\n        staffViewMasked\n        subtotalCents\n        taxCents\n        tipCents\n        totalCents\n        appointment @include(if: $withAppointments) {\n          id\n          startsAt\n          pet {\n            id\n            name\n          }\n          service {\n            id\n            name\n          }\n        }\n      }\n      paymentMethods {\n        id\n        brand\n        last4\n        expMonth\n        expYear\n        isDefault\n        staffViewMasked\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {\n    payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {\n      id\n      status\n      tipCents\n      totalCents\n      paidAt\n      paidWith\n    }\n  }\n"): (typeof documents)["\n  mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {\n    payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {\n      id\n      status\n      tipCents\n      totalCents\n      paidAt\n      paidWith\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePaymentMethod($id: ID!) {\n    removePaymentMethod(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemovePaymentMethod($id: ID!) {\n    removePaymentMethod(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PortalChrome on Query {\n    ...PortalHeader\n    ...CustomerStaffAccess @skip(if: $staffView)\n    ...StaffViewSession @include(if: $staffView)\n  }\n"): (typeof documents)["\n  fragment PortalChrome on Query {\n    ...PortalHeader\n    ...CustomerStaffAccess @skip(if: $staffView)\n    ...StaffViewSession @include(if: $staffView)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StaffAccessFields on Customer {\n    id\n    staffAccess\n    timeZone\n    accessGrants {\n      id\n      createdAt\n      expiresAt\n      scope\n    }\n    accessRequests {\n      id\n      staffName\n      reason\n      createdAt\n      expiresAt\n      state\n      awaitingCustomer\n      needsCustomer\n      scope\n    }\n    staffViewBlocks {\n      id\n      staffName\n      cause\n      until\n    }\n  }\n"): (typeof documents)["\n  fragment StaffAccessFields on Customer {\n    id\n    staffAccess\n    timeZone\n    accessGrants {\n      id\n      createdAt\n      expiresAt\n      scope\n    }\n    accessRequests {\n      id\n      staffName\n      reason\n      createdAt\n      expiresAt\n      state\n      awaitingCustomer\n      needsCustomer\n      scope\n    }\n    staffViewBlocks {\n      id\n      staffName\n      cause\n      until\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CustomerStaffAccess on Query {\n    me {\n      ...StaffAccessFields\n    }\n  }\n"): (typeof documents)["\n  fragment CustomerStaffAccess on Query {\n    me {\n      ...StaffAccessFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StaffAccess {\n    me {\n      ...StaffAccessFields\n    }\n  }\n"): (typeof documents)["\n  query StaffAccess {\n    me {\n      ...StaffAccessFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StaffAccessLive {\n    myStaffAccess {\n      ...StaffAccessFields\n    }\n  }\n"): (typeof documents)["\n  subscription StaffAccessLive {\n    myStaffAccess {\n      ...StaffAccessFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTimeZone($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  mutation SetTimeZone($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      timeZone\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;