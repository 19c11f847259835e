/**
 * The nationwide consumer credit reporting agencies, for notices whose statute requires their toll-free numbers
 * and addresses (California Civ. Code 1798.82(d)(2)(F) when a Social Security, driver's licence or California
 * identification card number was exposed; other states have the same).
 *
 * Source, and how sure: secondary. Checked 2026-12-04 against two government pages: the TRICARE privacy page
 * "Protecting Personal Information" (https://tricare.mil/Privacy/PPI?p=1, last updated 2022-08-16: fraud
 * departments, numbers and addresses) and the Florida Department of Financial Services' "Credit Bureau Contact
 * Information" (https://www.myfloridacfo.com/ymm/creditanddebt/identitytheft/ProtectYourselfAgainstIdentityTheft.aspx:
 * fraud-alert numbers). The agencies' own pages were not available here. Sources disagree: the agencies use other
 * P.O. boxes and numbers for other purposes (credit freezes, free reports: TransUnion 1-888-909-8872 for a freeze,
 * Equifax 1-800-525-6285 on TRICARE's page for fraud); what is kept is the fraud-alert contact. The draft shows
 * these values to the officer, who may replace them before approval.
 */
export interface CreditReportingAgency {
  readonly name: string;
  readonly phone: string;
  readonly address: string;
  readonly website: string;
}

export const CREDIT_REPORTING_AGENCIES = {
  checked: '2026-12-04',
  confidence: 'secondary: government pages, not the agencies\' own; numbers and P.O. boxes differ by purpose',
  agencies: [
    { name: 'Equifax', phone: '1-800-685-1111', address: 'P.O. Box 740241, Atlanta, GA 30374-0241', website: 'www.equifax.com' },
    { name: 'Experian', phone: '1-888-397-3742', address: 'P.O. Box 9532, Allen, TX 75013', website: 'www.experian.com' },
    { name: 'TransUnion', phone: '1-800-680-7289', address: 'Fraud Victim Assistance Division, P.O. Box 6790, Fullerton, CA 92834-6790', website: 'www.transunion.com' },
  ] satisfies readonly CreditReportingAgency[],
} as const;

/** The agencies as one paragraph: name, toll-free number, address, website. */
export function creditReportingAgenciesText(): string {
  return CREDIT_REPORTING_AGENCIES.agencies.map((a) => `${a.name}: ${a.phone}, ${a.address}, ${a.website}`).join('; ');
}
