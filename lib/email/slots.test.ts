// A slotted email must be exactly the email a direct render gives, whatever
// the values hold, while React Email runs once per template.
import { createElement } from "react";
import { describe, expect, it, vi } from "vitest";
import PasswordChangedEmail from "@/emails/password-changed";
import ResetLinkEmail from "@/emails/reset-link";
import { emailBrand } from "./brand";
import { renderEmail } from "./index";
import { renderSlotted, slotted } from "./slots";

const hostileUrls = [
  "https://shop.example/reset-password/abcDEF123_-xyz",
  "https://shop.example/reset-password/a?b=1&c=<script>\"'",
];

describe("slotted emails", () => {
  it("fill in to the same HTML and text as a direct render, escaping included", async () => {
    const brand = emailBrand();
    for (const url of hostileUrls) {
      for (const requestedBy of ["you", "agent"] as const) {
        const fixed = { brand, expiresInText: "1 hour", requestedBy };
        const direct = await renderEmail(createElement(ResetLinkEmail, { ...fixed, url }));
        const filled = await renderSlotted(
          slotted("reset-link", fixed, { url }, (s) => createElement(ResetLinkEmail, { ...fixed, url: s.url })),
          renderEmail,
        );
        expect(filled).toEqual(direct);
      }
    }
    const when = "Sat, 28 Nov 2026 21:00:00 GMT & <later>";
    const direct = await renderEmail(createElement(PasswordChangedEmail, { brand, changedAtText: when }));
    const filled = await renderSlotted(
      slotted("password-changed", { brand }, { changedAtText: when }, (s) =>
        createElement(PasswordChangedEmail, { brand, changedAtText: s.changedAtText }),
      ),
      renderEmail,
    );
    expect(filled).toEqual(direct);
    expect(filled.html).not.toContain("<later>");
  });

  it("renders once per template and fixed props, not once per send", async () => {
    const render = vi.fn(renderEmail);
    const brand = emailBrand();
    const send = (url: string, expiresInText: string) =>
      renderSlotted(
        slotted("reset-link-count", { brand, expiresInText }, { url }, (s) =>
          createElement(ResetLinkEmail, { brand, url: s.url, expiresInText }),
        ),
        render,
      );
    const one = await send("https://a.example/1", "1 hour");
    const two = await send("https://a.example/2", "1 hour");
    expect(render).toHaveBeenCalledTimes(1);
    expect(one.html).toContain("https://a.example/1");
    expect(two.html).toContain("https://a.example/2");
    expect(two.html).not.toContain("https://a.example/1");
    await send("https://a.example/3", "24 hours"); // another fixed prop: another render
    expect(render).toHaveBeenCalledTimes(2);
  });
});
