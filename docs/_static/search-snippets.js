/* Search result snippets from the lesson's text only.
 *
 * Sphinx's search page quotes the text of each result's [role="main"], which in
 * sphinx-book-theme also holds the article's buttons (colour mode: "Light",
 * "Dark"...) and the print-only table of contents: drop those before quoting.
 */
window.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page
      .querySelectorAll(".bd-header-article, #jb-print-docs-body, .prev-next-footer")
      .forEach((element) => element.remove());
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
});
