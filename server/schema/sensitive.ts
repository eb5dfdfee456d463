// Which arguments and input fields carry secrets (SPEC 4: "secrets are redacted by what the schema
// declares sensitive"). The audit's redactor (audit/redact.ts) reads the declaration from the
// schema. Every String or ID argument and input field is either declared sensitive or listed in
// NOT_SENSITIVE with a reviewed reason; a test fails otherwise.

/** Options that declare an argument or input field sensitive: its value is never recorded. */
export const sensitive = { extensions: { sensitive: true } } as const;

/** String and ID arguments and input fields that are not secrets, by schema coordinate. */
export const NOT_SENSITIVE = {
  'Query.auditEvents(after:)': 'a cursor',
  'Query.auditEvents(before:)': 'a cursor',
  'Query.customers(search:)': 'a directory search: recorded as who searched for what',
  'Query.impersonationSession(id:)': 'an id',
  'Mutation.signIn(email:)': 'the account tried: recorded for failed staff sign-ins',
  'Mutation.startImpersonation(customerId:)': 'an id',
  'Mutation.startImpersonation(reason:)': 'shown to the customer',
  'Mutation.extendImpersonation(sessionId:)': 'an id',
  'Mutation.endImpersonation(sessionId:)': 'an id',
  'Mutation.terminateImpersonation(sessionId:)': 'an id',
  'Mutation.terminateImpersonation(reason:)': 'shown to the staff member',
  'Mutation.setStaffActive(staffId:)': 'an id',
  'Mutation.setStaffRole(staffId:)': 'an id',
  'Mutation.setCustomerStatus(customerId:)': 'an id',
  'Mutation.addPet(input:)': 'pet details',
  'Mutation.updatePet(id:)': 'an id',
  'Mutation.bookAppointment(input:)': 'a booking',
  'Mutation.rescheduleAppointment(id:)': 'an id',
  'Mutation.cancelAppointment(id:)': 'an id',
  'Mutation.confirmAppointment(id:)': 'an id',
  'Mutation.updateAppointmentNotes(id:)': 'an id',
  'Mutation.updateAppointmentNotes(notes:)': 'the customer’s note to the salon',
  'Mutation.payInvoice(id:)': 'an id',
  'Mutation.payInvoice(paymentMethodId:)': 'an id',
  'Mutation.removePaymentMethod(id:)': 'an id',
  'Mutation.sendMessage(body:)': 'the customer’s message to the salon',
  'AuditEventFilter.sessionId': 'an id',
  'AuditEventFilter.staffId': 'an id',
  'AuditEventFilter.customerId': 'an id',
  'BookAppointmentInput.petId': 'an id',
  'BookAppointmentInput.serviceId': 'an id',
  'BookAppointmentInput.groomerId': 'an id',
  'BookAppointmentInput.customerNotes': 'the customer’s note to the salon',
  'UpdateProfileInput.name': 'profile',
  'UpdateProfileInput.phone': 'profile',
  'UpdateProfileInput.address': 'profile',
  'AddPetInput.name': 'pet details',
  'AddPetInput.species': 'pet details',
  'AddPetInput.breed': 'pet details',
  'AddPetInput.coatType': 'pet details',
  'AddPetInput.groomingNotes': 'pet details',
  'AddPetInput.cutStyle': 'pet details',
  'UpdatePetInput.name': 'pet details',
  'UpdatePetInput.species': 'pet details',
  'UpdatePetInput.breed': 'pet details',
  'UpdatePetInput.coatType': 'pet details',
  'UpdatePetInput.groomingNotes': 'pet details',
  'UpdatePetInput.cutStyle': 'pet details',
} as const;
