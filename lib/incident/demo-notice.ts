// The demo incident's notice, written for a fictional retailer. The brand name
// is filled in at seed time.
import type { NoticeFaq, NoticeSections } from "@/db/schema";

export function demoNotice(brand: string, supportEmail: string): {
  title: string;
  sections: NoticeSections;
  faq: NoticeFaq;
  updates: { daysAgo: number; body: string }[];
} {
  return {
    title: `${brand} customer data breach`,
    sections: {
      whatHappened:
        `On November 24, 2026 we discovered that an unauthorised party had copied part of our ` +
        `customer database. Our investigation so far shows the copying took place between ` +
        `November 17 and November 23, 2026, through a compromised reporting server that has ` +
        `since been shut down.`,
      informationInvolved:
        `The copied data included your name, email address, postal address, phone number, the ` +
        `last four digits of payment cards saved to your account, and a scrambled ("hashed") ` +
        `form of your password.\n\nFull card numbers, card security codes and bank details ` +
        `were **not** involved: we never store them.`,
      whatWeAreDoing:
        `We have expired every customer password and signed everyone out, so a password ` +
        `guessed from the stolen data cannot be used on ${brand}. We reported the incident ` +
        `to law enforcement and the relevant authorities, engaged an outside security firm, ` +
        `and we are emailing every affected customer a link to set a new password.`,
      whatYouCanDo:
        `- Set a new password for your ${brand} account using the link in our email, or ` +
        `"Forgot your password?" on the sign-in page.\n` +
        `- If you used the same password anywhere else, change it there too.\n` +
        `- Be wary of emails, texts or calls that mention this incident and ask for personal ` +
        `information: we will never ask for your password or card details.\n` +
        `- Review your card statements and report anything unfamiliar to your bank.`,
      moreInformation:
        `Write to us at ${supportEmail} or use our contact form. Our phone lines are ` +
        `overwhelmed, so the form is the fastest way to reach a person.`,
    },
    faq: [
      {
        question: "Why can't I sign in with my old password?",
        answer:
          "Every password was expired to protect you. Choose \"Forgot your password?\" on the sign-in page and we will email you a link to set a new one.",
      },
      {
        question: "Was my card number stolen?",
        answer: "No. Only the last four digits of saved cards were in the copied data.",
      },
    ],
    updates: [
      { daysAgo: 0, body: "Password reset emails are being sent to every customer." },
      { daysAgo: 1, body: "We published this notice and expired every customer password." },
    ],
  };
}
