/** Reading a report's HTML tables back: each row's data-* keys and its cells' exact values by field. */
export const tableRows = (html: string, id: string): Array<{ keys: Map<string, string>; values: Map<string, number> }> => {
  const table = html.slice(html.indexOf(`<table id="${id}">`), html.indexOf("</table>", html.indexOf(`<table id="${id}">`)))
  return [...table.matchAll(/<tr((?: data-[a-z]+="[^"]*")+)[^>]*>(.*?)<\/tr>/g)].map((m) => ({
    keys: new Map([...m[1]!.matchAll(/data-([a-z]+)="([^"]*)"/g)].map((k) => [k[1]!, k[2]!])),
    values: new Map([...m[2]!.matchAll(/data-field="([^"]+)" data-value="([^"]+)"/g)].map((v) => [v[1]!, Number(v[2])]))
  }))
}
