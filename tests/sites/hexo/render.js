// Prints {post source path: rendered content} as JSON: the body Hexo builds for each post
// (Nunjucks tags processed, Markdown rendered by hexo-renderer-marked), without needing a theme.
const Hexo = require('hexo');
const hexo = new Hexo(process.argv[2] || process.cwd(), { silent: true });
hexo.init()
  .then(() => hexo.load())
  .then(() => {
    const out = {};
    hexo.locals.get('posts').forEach((post) => { out[post.source] = post.content; });
    process.stdout.write(JSON.stringify(out));
    return hexo.exit();
  })
  .catch((err) => { console.error(err); process.exit(1); });
