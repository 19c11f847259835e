import { emailForFrame } from '../../lambdas/dashboard/src/officer/email-frame.js';

/** The HTML email as the desk's sandboxed preview frame gets it (issue 25 §1.1). */
describe('emailForFrame', () => {
  it("leaves out the template's style attributes and elements (the desk's CSP would refuse each) and counts them", () => {
    const markup = `<!doctype html><html><head><style>p{color:red}</style><link rel="stylesheet" href="https://x.example/a.css"></head><body style="font-family: Arial">
<h1>Title</h1><p style='color:#555'>Footer</p><p STYLE=color:red>Bare</p></body></html>`;
    const { srcdoc, stylesLeftOut } = emailForFrame(markup);
    expect(stylesLeftOut).toBe(5);
    expect(srcdoc).toBe('<!doctype html><html><head></head><body>\n<h1>Title</h1><p>Footer</p><p>Bare</p></body></html>');
  });

  it('keeps the escaped values the server put in the email as they are', () => {
    // draft.ts escapes & < > " ' ` = / in every value: "style=" written by an officer arrives as style&#x3D;.
    const value = 'We said style&#x3D;&quot;x&quot; &lt;b&gt;';
    const { srcdoc, stylesLeftOut } = emailForFrame(`<p>${value}</p>`);
    expect(srcdoc).toBe(`<p>${value}</p>`);
    expect(stylesLeftOut).toBe(0);
  });
});
