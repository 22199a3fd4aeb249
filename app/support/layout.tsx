import "./desk.css";

// Only styles: every page and action of the desk checks the role itself.
export default function SupportLayout({ children }: { children: React.ReactNode }) {
  return children;
}
