// The customer file of the rehearsal: N `email,name` rows as a retailer would
// export them (a header, names with commas in quotes, a few common domains),
// the same for the same N, so two runs load the same people.
import fs from "node:fs";

const FIRST = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Karen", "Charles", "Sarah",
  "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley",
  "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
  "Aisha", "Mohammed", "Wei", "Yuki", "Olga", "Mateo", "Sofia", "Lucas", "Amara", "Noah",
];
const LAST = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Okafor", "Kowalski", "Tanaka", "Ivanova", "Haddad", "Schmidt", "Rossi", "Dubois", "Silva", "Chen",
];
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "proton.me", "example.net"];

/** Customer number i (0-based): always the same address and name. */
export function customerRow(i: number): { email: string; name: string } {
  // A cheap integer hash spreads the names and domains.
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const first = FIRST[h % FIRST.length];
  const last = LAST[(h >>> 8) % LAST.length];
  const domain = DOMAINS[(h >>> 16) % DOMAINS.length];
  const email = `${first}.${last}${i}@${domain}`.toLowerCase();
  const name = i % 10 === 7 ? `${last}, ${first}` : `${first} ${last}`;
  return { email, name };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes the file; returns its size in bytes. */
export function writeCustomerCsv(file: string, rows: number, onProgress?: (done: number) => void): number {
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, "email,name\n");
    let batch: string[] = [];
    for (let i = 0; i < rows; i++) {
      const { email, name } = customerRow(i);
      batch.push(`${email},${csvField(name)}\n`);
      if (batch.length === 50_000) {
        fs.writeSync(fd, batch.join(""));
        batch = [];
        onProgress?.(i + 1);
      }
    }
    fs.writeSync(fd, batch.join(""));
    onProgress?.(rows);
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}
