// The demo incident's notice, written for a fictional online retailer. It
// carries what California Civil Code 1798.82 asks a notice to say: what
// happened and when, which data was and was not involved, what the company
// did, what the reader should do, and how to reach the company.
import type { NoticeFaq, NoticeSections } from "@/db/schema";
import { formatDay } from "./dates";

const DAY = 24 * 3600 * 1000;

export type DemoNotice = {
  title: string;
  dates: {
    discoveredAt: Date;
    breachStartedAt: Date;
    breachEndedAt: Date;
    noticeDate: Date;
    passwordsResetAt: Date;
  };
  sections: NoticeSections;
  faq: NoticeFaq;
  updates: { daysAgo: number; body: string }[];
};

/** Dates fall in the days before `now`, so the demo always reads as recent. */
export function demoNotice(brand: string, supportEmail: string, now = Date.now()): DemoNotice {
  const midnight = (daysAgo: number) => new Date(Math.floor((now - daysAgo * DAY) / DAY) * DAY);
  const dates = {
    breachStartedAt: midnight(11),
    breachEndedAt: midnight(5),
    discoveredAt: midnight(4),
    noticeDate: midnight(1),
    passwordsResetAt: new Date(now - DAY),
  };
  const on = (d: Date) => formatDay(d.toISOString());
  return {
    title: `${brand} customer data breach`,
    dates,
    sections: {
      whatHappened:
        `On ${on(dates.discoveredAt)} we discovered that an unauthorised person had copied part of our ` +
        `customer database. Our investigation so far shows that the copying took place between ` +
        `${on(dates.breachStartedAt)} and ${on(dates.breachEndedAt)}, through a reporting server whose ` +
        `access credentials had been stolen. We shut that server down the day we found the intrusion.\n\n` +
        `We are writing to every customer whose record was in the copied data.`,
      informationInvolved:
        `The copied records contain your **name**, **email address**, **postal address**, **phone number**, ` +
        `the **last four digits** of any payment card saved to your account, and your account password in a ` +
        `scrambled ("hashed") form. Hashed passwords cannot be read directly, but some can be guessed.\n\n` +
        `The following were **not** involved: full card numbers, card expiry dates and security codes, bank ` +
        `account details, and government identity numbers. We never store full card numbers or security codes.`,
      whatWeAreDoing:
        `- On ${on(dates.noticeDate)} we **expired every customer password** and **ended every signed-in ` +
        `session**, so that a password guessed from the stolen data cannot be used to enter a ${brand} account.\n` +
        `- We closed the access that was used, changed every credential on our systems and brought in an ` +
        `outside security firm to investigate.\n` +
        `- We reported the incident to law enforcement and to the data protection authorities.\n` +
        `- We are emailing every affected customer a personal link to set a new password.`,
      whatYouCanDo:
        `- **Set a new password** for your ${brand} account with the link in our email, or choose ` +
        `[Forgot your password?](/forgot-password) on the sign-in page. Our links expire after a few hours.\n` +
        `- **If you used the same password anywhere else, change it there too**, and choose a different ` +
        `password for each site. A password manager makes this easy.\n` +
        `- **Be wary of messages about this incident.** We will never ask for your password, card number or ` +
        `a code by email, text or phone. Reach us through this website rather than links in unexpected messages.\n` +
        `- Check your card statements and tell your bank about anything you do not recognise.`,
      moreInformation:
        `Our phone lines cannot take the number of calls we are receiving, so please write to us: use our ` +
        `[contact form](/support/contact), or email [${supportEmail}](mailto:${supportEmail}). A person ` +
        `reads every message, and we will answer you by email.\n\n` +
        `We will post any news about the investigation under "Updates" on this page.`,
    },
    faq: [
      {
        question: "Why can't I sign in with my old password?",
        answer:
          'We expired every password to protect you. Choose "Forgot your password?" on the sign-in page and we ' +
          "will email you a link to set a new one.",
      },
      {
        question: "Was my card number stolen?",
        answer: "No. Only the last four digits of saved cards were in the copied data, and those cannot be used to pay.",
      },
      {
        question: "Is the email I received from you genuine?",
        answer:
          "Our emails never ask for your password or card details, and their links lead only to this website. " +
          "If in doubt, do not click: come to this website yourself and choose \"Forgot your password?\".",
      },
      {
        question: "How do I reach a person?",
        answer: `Use our [contact form](/support/contact) or email [${supportEmail}](mailto:${supportEmail}).`,
      },
    ],
    updates: [
      { daysAgo: 0, body: "Password reset emails are being sent to every customer." },
      { daysAgo: 1, body: "We published this notice, expired every customer password and ended every session." },
    ],
  };
}
