// The breach notice every customer in a campaign receives (SPEC 4.8): the five
// headings of the notice, a personal reset link and the advice to change the
// same password elsewhere. Pure: it takes data and renders.
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";

export type BreachNoticeSections = {
  whatHappened: string;
  informationInvolved: string;
  whatWeAreDoing: string;
  whatYouCanDo: string;
  moreInformation: string;
};

export type BreachNoticeProps = {
  brandName: string;
  brandColor?: string;
  name: string | null;
  resetUrl: string;
  /** when the link stops working, already formatted for people */
  linkExpires: string;
  noticeUrl: string;
  supportEmail: string;
  sections: BreachNoticeSections;
};

const HEADINGS: [keyof BreachNoticeSections, string][] = [
  ["whatHappened", "What Happened"],
  ["informationInvolved", "What Information Was Involved"],
  ["whatWeAreDoing", "What We Are Doing"],
  ["whatYouCanDo", "What You Can Do"],
  ["moreInformation", "For More Information"],
];

// The notice is stored as light markdown; an email shows it as plain paragraphs.
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\*\*/g, "").trim())
    .filter(Boolean);
}

const text = { fontSize: "16px", lineHeight: "24px", color: "#1f2937" };

export function BreachNoticeEmail(props: BreachNoticeProps) {
  const color = props.brandColor ?? "#1e3a8a";
  return (
    <Html lang="en">
      <Head />
      <Preview>{`Notice of Data Breach: please set a new ${props.brandName} password`}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "600px" }}>
          <Heading as="h1" style={{ fontSize: "24px", color }}>
            Notice of Data Breach
          </Heading>
          <Text style={text}>{props.name ? `Dear ${props.name},` : "Dear customer,"}</Text>
          <Text style={text}>
            We are writing to tell you about a security incident that involved your {props.brandName} account
            information. We have expired your password: to use your account again, set a new one with your personal
            link below.
          </Text>
          <Section style={{ margin: "24px 0" }}>
            <Button href={props.resetUrl} style={{ backgroundColor: color, color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
              Set a new password
            </Button>
          </Section>
          <Text style={text}>
            Or open this link: <Link href={props.resetUrl}>{props.resetUrl}</Link>
            <br />
            It works once and until {props.linkExpires}. If it has expired, open it anyway and choose &quot;Send me a
            new link&quot;.
          </Text>
          <Text style={{ ...text, fontWeight: "bold" }}>
            If you used the same or a similar password on any other website, change it there too: the people who took
            our data may try it elsewhere.
          </Text>
          <Hr />
          {HEADINGS.map(([key, heading]) => (
            <Section key={key}>
              <Heading as="h2" style={{ fontSize: "18px", color }}>
                {heading}
              </Heading>
              {paragraphs(props.sections[key]).map((p, i) => (
                <Text key={i} style={text}>
                  {p}
                </Text>
              ))}
            </Section>
          ))}
          <Hr />
          <Text style={text}>
            The full notice, kept up to date: <Link href={props.noticeUrl}>{props.noticeUrl}</Link>. Questions:{" "}
            <Link href={`mailto:${props.supportEmail}`}>{props.supportEmail}</Link>. We will never ask for your password
            by email or phone.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

BreachNoticeEmail.PreviewProps = {
  brandName: "Northwind Outfitters",
  name: "Alex Example",
  resetUrl: "http://localhost:3000/reset-password/example-token",
  linkExpires: "November 29, 2026, 18:00 UTC",
  noticeUrl: "http://localhost:3000/notice",
  supportEmail: "support@example.com",
  sections: {
    whatHappened: "On November 24 we discovered that part of our customer database was copied.",
    informationInvolved: "Names, email and postal addresses, phone numbers, and hashed passwords.",
    whatWeAreDoing: "We expired every password and are emailing every customer.",
    whatYouCanDo: "Set a new password with the link above.",
    moreInformation: "Read the notice or contact support.",
  },
} satisfies BreachNoticeProps;

export default BreachNoticeEmail;
