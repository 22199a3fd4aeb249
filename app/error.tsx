"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="narrow stack">
      <h1>Something went wrong</h1>
      <p>Nothing was changed. Please try again in a moment.</p>
      <button type="button" onClick={reset}>Try again</button>
    </div>
  );
}
