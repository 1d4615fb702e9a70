/**
 * Release stores on forges: {@link dev.cutter.release.forge.GitHubStore} ({@code github:OWNER/REPO}),
 * {@link dev.cutter.release.forge.GitLabStore} ({@code gitlab:GROUP/PROJECT}) and
 * {@link dev.cutter.release.forge.GiteaStore} ({@code gitea:HOST/OWNER/REPO}), opened with
 * {@link dev.cutter.release.forge.ForgeStores#open}. They keep the
 * {@link dev.cutter.release.ReleaseStore} contract of the directory store: identical content is
 * {@code UNCHANGED} with no write request; other content is refused under {@code FAIL} and
 * replaced as a whole under {@code REPLACE}; readers never see half a release; every asset is
 * checked against its digest while it is sent ({@link dev.cutter.http.FileBody}).
 *
 * <h2>Knowing "the same content"</h2>
 * A forge has no field for a project, a channel, an install order or an asset's digest. Cutter
 * writes its {@link dev.cutter.release.ReleaseJson} into the release's own body, after the notes,
 * as an HTML comment ({@code <!-- cutter-release {…} -->}, see {@code ReleaseBody}) that rendered
 * Markdown does not show; the visible part of the body is the notes. What the block records is
 * then checked against the forge's own asset list: every recorded asset must be there, complete,
 * of the recorded size and — where the forge keeps a digest (GitHub's {@code digest}, GitLab's
 * {@code file_sha256}) — of the recorded digest. {@code find} and {@code list} report only the
 * assets the forge confirms; any damage counts as a difference, so a damaged release is never
 * taken as unchanged. The release's name is the forge's release title; its tag is the forge's tag.
 * Releases without a block were not made by Cutter: they are not listed, never deleted, and
 * refused as "other content" under {@code FAIL}.
 *
 * <h2>GitHub and Gitea: draft, assets, verification, publication</h2>
 * <ol>
 *   <li>List the repository's releases, every page (a token that may write sees the drafts too).
 *   <li>If the tag has a published release, compare it. Same content: done, nothing written.
 *       Other content: refused under {@code FAIL}; under {@code REPLACE} go on (an immutable
 *       GitHub release is refused here, before anything is written: its tag can never be used
 *       again once it is deleted).
 *   <li>Take up Cutter's draft of this tag left by an earlier run (known by its block), or create
 *       a draft. A draft that will replace a published release is tagged {@code TAG.cutter-next}
 *       until it is published, since Gitea keeps one release per tag, drafts included.
 *   <li>List the draft's assets and put them right: delete every asset that is incomplete
 *       (GitHub's {@code starter}), of another size or digest, a duplicate or not in the release;
 *       then set the draft's fields (title, notes and block, prerelease); then upload what is
 *       missing, each streamed from its file with {@code Content-Length}. List again, until the
 *       listing is exactly the release: that listing is the verification.
 *   <li>Publish: under {@code REPLACE} delete the old release first; then one PATCH sets
 *       {@code draft: false} and the final tag (and on GitHub {@code make_latest}, which moves
 *       only forward: a stable version at least as high as every other published one).
 * </ol>
 * Why this order: GitHub's immutable releases refuse uploads once published, so every asset must
 * be in the draft first; and a draft is invisible to readers, so the release appears in one
 * request, whole. A release asked for as a draft ({@code draft: true}) stops after step 4: a
 * verified draft for a person to publish, {@code UNCHANGED} when asked again.
 *
 * <h2>GitLab: files first, then the release in one call</h2>
 * GitLab has no drafts. Every asset is PUT into the project's generic package registry, package
 * {@code <project>}, version {@code <name>-<12 hex digits>} where the digits are a digest of the
 * release's name and its assets' names, digests and sizes: files of other content never overwrite
 * files a published release links to. The package's file list is read back (size and
 * {@code file_sha256}) until it is exactly the release. Then one POST creates the release with all
 * its asset links ({@code direct_asset_path /NAME}). Under {@code REPLACE} the new files go to
 * their own package version, the old release is deleted, the new one created, and the old
 * package deleted after. Deleting a release deletes its package too.
 *
 * <h2>What readers see</h2>
 * Until the publishing request: the previous state — no release, or the old one untouched; drafts
 * and package files no release links to are not releases ({@code find} and {@code list} show a
 * draft only when it is whole and its tag has no published release). After it: the new release,
 * whole. Under {@code REPLACE} there is a window between deleting the old release and publishing
 * the new one — two consecutive requests, typically well under a second — in which the tag has
 * no release (its pages and download links answer 404); readers never see a mix of the two.
 *
 * <h2>What is resumable</h2>
 * A run killed anywhere leaves at most a draft (GitHub, Gitea) or package files (GitLab); the next
 * publication of the same release takes them up and sends only what is missing or wrong: GitHub
 * assets are judged by GitHub's digest; Gitea assets, which carry no digest, by their size and the
 * digest the draft's own block records for them — the block is rewritten only after the assets it
 * no longer describes are deleted, so it never vouches for bytes that are not those; GitLab files
 * by {@code file_sha256} in the same content-addressed package version. A run killed inside the
 * replacement window leaves the whole draft and no published release: the next run publishes it.
 * An upload whose answer was lost is recognised (GitHub's 422 {@code already_exists}, a duplicate
 * on Gitea or GitLab) and settled by the next listing. One publication of a release at a time:
 * a concurrent one fails with an explained conflict, and the next run ends in the wanted state.
 *
 * <h2>Tokens and errors</h2>
 * Tokens come from the caller or the environment ({@code GITHUB_TOKEN}, {@code GITLAB_TOKEN} or
 * {@code CI_JOB_TOKEN}, {@code GITEA_TOKEN}); a change without one is refused before any request,
 * naming the variable. 401 and 403 become {@link dev.cutter.release.StoreUnreachableException}
 * saying whether the token was refused or lacks a permission, and which ({@code contents: write}
 * on GitHub, the {@code api} scope on GitLab, {@code write:repository} on Gitea); a 404 names the
 * repository; 409 and 422 {@code already_exists} are explained. The token goes only to the API's
 * host and the upload URLs it hands out — downloads follow redirects to storage without it — and
 * never appears in a message. Requests are sent through {@link dev.cutter.http.Sender}: 429, 5xx,
 * rate limits and dropped connections are tried again with backoff.
 *
 * <p>Git tags are the forge's: a missing tag is made from the draft's {@code target} when it is
 * published ({@code target_commitish}, GitLab's {@code ref}) — the release's commit when the store
 * is the source repository, a ref of the store's repository otherwise, or nothing for its default
 * branch (GitLab, which needs a ref, is given the project's {@code default_branch}); a draft left
 * with another target is given this one; an existing tag is used as it is and never moved; deleting a release leaves its tag. Assets added by hand to a Cutter release are not
 * Cutter's and are ignored.
 *
 * <h2>Pull requests</h2>
 * {@link dev.cutter.release.forge.PullRequests} opens the same forges' pull requests (GitLab's
 * merge requests) for pins that reach a protected branch by a merge ({@code git: { via:
 * pull-request }}), with the same forms, API URLs, tokens and errors: find the newest of a branch,
 * open one (an open one of the branch is taken up), read the head commit's checks, merge with a
 * merge commit at the head it was opened with. A merge the forge refuses (no right, a review or
 * checks required, the head moved) is returned as the forge's words, for the caller to wait on.
 */
package dev.cutter.release.forge;
