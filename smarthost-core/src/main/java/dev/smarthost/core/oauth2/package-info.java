/**
 * OAuth 2.0 access tokens for XOAUTH2: {@link dev.smarthost.core.oauth2.TokenSource} and the
 * client-credentials grant of {@link dev.smarthost.core.oauth2.OAuth2Clients} (Nimbus, optional).
 */
@NullMarked
package dev.smarthost.core.oauth2;

import org.jspecify.annotations.NullMarked;
