/* test-golden-schema.c: what Hangar writes back is libvirt XML and means the same
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * For every case in cases/:
 *  - /hangar/golden/schema/NAME: hangar_domain_to_xml() validates with libvirt's own
 *    schema (virt-xml-validate FILE domain; its path comes in HANGAR_VIRT_XML_VALIDATE);
 *  - /hangar/golden/roundtrip/NAME: the exported document is the case's document (no
 *    element, attribute or text lost or added, whitespace aside), it parses again to
 *    the same argv, and exporting that gives the same bytes;
 *  - /hangar/golden/generated/NAME: with its <uuid> and <mac>s removed, the UUID and MACs
 *    Hangar writes in validate too and are the same when the export is read again.
 */
#define G_LOG_DOMAIN "hangar-golden"

#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

#include "golden-common.h"

static char *
export_case (GoldenCase    *golden,
             HangarDomain **out_domain)
{
  g_autoptr(GError) error = NULL;
  HangarDomain *domain = hangar_domain_parse (golden->xml, golden->xml_length, &error);

  g_assert_no_error (error);
  *out_domain = domain;
  return hangar_domain_to_xml (domain);
}

/* Runs virt-xml-validate on @xml; FALSE with its output in @out_message if it rejects it. */
static gboolean
validate (const char  *xml,
          char       **out_message)
{
  const char *validator = g_getenv ("HANGAR_VIRT_XML_VALIDATE");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { validator, NULL, "domain", NULL };
  int fd, status;

  if (validator == NULL || *validator == '\0')
    {
      /* A missing checker must not look like a pass: CI installs it. */
      *out_message = g_strdup ("virt-xml-validate was not found when meson configured the "
                               "build; install libvirt-clients and reconfigure");
      return FALSE;
    }

  fd = g_file_open_tmp ("hangar-golden-XXXXXX.xml", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  argv[1] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, &error))
    {
      *out_message = g_strconcat (out, err, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
test_schema (gconstpointer data)
{
  g_autoptr(GoldenCase) golden = golden_case_load ("cases", data);
  g_autoptr(HangarDomain) domain = NULL;
  g_autofree char *xml = export_case (golden, &domain);
  g_autofree char *message = NULL;

  if (!validate (xml, &message))
    {
      golden_log_lines ("exported: ", xml);
      g_test_fail_printf ("libvirt's schema rejects the exported XML of %s: %s",
                          golden->name, message);
    }
}

/* Without <uuid> and <mac>, Hangar writes them in: where libvirt's schema allows, and
 * so that they stay what they were when the export is read again. */
static void
test_generated (gconstpointer data)
{
  g_autoptr(GoldenCase) golden = golden_case_load ("cases", data);
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(HangarDomain) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *message = NULL;
  xmlDoc *doc = xmlReadMemory (golden->xml, golden->xml_length, "case.xml", NULL,
                               XML_PARSE_NONET);
  xmlNode *root = xmlDocGetRootElement (doc);
  const HangarDomainDef *def, *def_again;
  xmlChar *buffer = NULL;
  int size = 0;

  for (xmlNode *n = root->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "uuid"))
      {
        xmlUnlinkNode (n);
        xmlFreeNode (n);
        break;
      }
  for (xmlNode *n = root->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "devices"))
      for (xmlNode *device = n->children; device != NULL; device = device->next)
        if (device->type == XML_ELEMENT_NODE &&
            g_str_equal ((const char *) device->name, "interface"))
          for (xmlNode *child = device->children; child != NULL; child = child->next)
            if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, "mac"))
              {
                xmlUnlinkNode (child);
                xmlFreeNode (child);
                break;
              }
  xmlDocDumpMemory (doc, &buffer, &size);
  stripped = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  xmlFreeDoc (doc);

  domain = hangar_domain_parse (stripped, -1, &error);
  g_assert_no_error (error);
  xml = hangar_domain_to_xml (domain);
  if (!validate (xml, &message))
    {
      golden_log_lines ("exported: ", xml);
      g_test_fail_printf ("libvirt's schema rejects the generated UUID or MAC of %s: %s",
                          golden->name, message);
      return;
    }

  again = hangar_domain_parse (xml, -1, &error);
  g_assert_no_error (error);
  def = hangar_domain_get_def (domain);
  def_again = hangar_domain_get_def (again);
  g_assert_true (g_uuid_string_is_valid (def->uuid));
  g_assert_cmpstr (def_again->uuid, ==, def->uuid);
  g_assert_cmpuint (def_again->nets->len, ==, def->nets->len);
  for (guint i = 0; i < def->nets->len; i++)
    {
      HangarNetDef *net = g_ptr_array_index (def->nets, i);
      HangarNetDef *net_again = g_ptr_array_index (def_again->nets, i);

      g_assert_true (g_str_has_prefix (net->mac, "52:54:00:"));
      g_assert_cmpstr (net_again->mac, ==, net->mac);
    }
}

/* ---- comparing two documents, formatting aside ------------------------------------ */

static gboolean
is_blank_text (xmlNode *node)
{
  return node->type == XML_TEXT_NODE && xmlIsBlankNode (node);
}

static xmlNode *
next_significant (xmlNode *node)
{
  while (node != NULL && is_blank_text (node))
    node = node->next;
  return node;
}

static char *
node_path (xmlNode *node)
{
  xmlChar *path = xmlGetNodePath (node);
  char *copy = g_strdup ((const char *) path);

  xmlFree (path);
  return copy;
}

/* Returns NULL when the trees match, else where and how they first differ. */
static char *
compare_nodes (xmlNode *a,
               xmlNode *b)
{
  xmlNode *ca, *cb;

  if (a->type != b->type || g_strcmp0 ((const char *) a->name, (const char *) b->name) != 0)
    {
      g_autofree char *path = node_path (a);

      return g_strdup_printf ("%s: <%s> became <%s>", path, a->name, b->name);
    }
  if (a->type == XML_TEXT_NODE || a->type == XML_COMMENT_NODE ||
      a->type == XML_CDATA_SECTION_NODE)
    {
      if (g_strcmp0 ((const char *) a->content, (const char *) b->content) != 0)
        {
          g_autofree char *path = node_path (a);

          return g_strdup_printf ("%s: “%s” became “%s”", path, a->content, b->content);
        }
      return NULL;
    }
  if (a->type == XML_ELEMENT_NODE)
    {
      guint count_a = 0, count_b = 0;

      for (xmlAttr *attr = a->properties; attr != NULL; attr = attr->next)
        {
          xmlChar *va = xmlNodeGetContent ((xmlNode *) attr);
          xmlChar *vb = xmlGetProp (b, attr->name);
          gboolean same = vb != NULL && strcmp ((const char *) va, (const char *) vb) == 0;
          g_autofree char *path = same ? NULL : node_path (a);
          char *message = same ? NULL :
                          g_strdup_printf ("%s: @%s='%s' became '%s'", path, attr->name, va,
                                           vb ? (const char *) vb : "(missing)");

          xmlFree (va);
          xmlFree (vb);
          if (message != NULL)
            return message;
          count_a++;
        }
      for (xmlAttr *attr = b->properties; attr != NULL; attr = attr->next)
        count_b++;
      if (count_a != count_b)
        {
          g_autofree char *path = node_path (a);

          return g_strdup_printf ("%s: %u attributes became %u", path, count_a, count_b);
        }
    }

  ca = next_significant (a->children);
  cb = next_significant (b->children);
  while (ca != NULL && cb != NULL)
    {
      char *difference = compare_nodes (ca, cb);

      if (difference != NULL)
        return difference;
      ca = next_significant (ca->next);
      cb = next_significant (cb->next);
    }
  if (ca != NULL || cb != NULL)
    {
      g_autofree char *path = node_path (ca != NULL ? ca : cb);

      return g_strdup_printf ("%s was %s", path, ca != NULL ? "dropped" : "added");
    }
  return NULL;
}

static char *
compare_documents (const char *a,
                   const char *b)
{
  xmlDoc *doc_a = xmlReadMemory (a, strlen (a), "a.xml", NULL, XML_PARSE_NONET);
  xmlDoc *doc_b = xmlReadMemory (b, strlen (b), "b.xml", NULL, XML_PARSE_NONET);
  char *difference;

  g_assert_nonnull (doc_a);
  g_assert_nonnull (doc_b);
  difference = compare_nodes ((xmlNode *) doc_a, (xmlNode *) doc_b);
  xmlFreeDoc (doc_a);
  xmlFreeDoc (doc_b);
  return difference;
}

static void
test_roundtrip (gconstpointer data)
{
  g_autoptr(GoldenCase) golden = golden_case_load ("cases", data);
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(HangarDomain) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = export_case (golden, &domain);
  g_autofree char *xml_again = NULL;
  g_autofree char *runtime_dir = golden_runtime_dir (hangar_domain_get_uuid (domain));
  g_autofree char *difference = NULL;
  g_autofree char *diff = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) argv_again = NULL;

  /* Nothing Hangar does not know may be lost: every case has its UUID and MACs, so
   * the export adds nothing either. */
  difference = compare_documents (golden->xml, xml);
  if (difference != NULL)
    {
      golden_log_lines ("exported: ", xml);
      g_test_fail_printf ("%s: the exported document differs: %s", golden->name, difference);
      return;
    }

  argv = golden_build_argv (domain, golden->accel, runtime_dir, &error);
  g_assert_no_error (error);
  again = hangar_domain_parse (xml, -1, &error);
  g_assert_no_error (error);
  argv_again = golden_build_argv (again, golden->accel, runtime_dir, &error);
  g_assert_no_error (error);
  if (!golden_lines_equal ((const char * const *) argv, (const char * const *) argv_again,
                           "argv of the case", "argv of its export", &diff))
    {
      golden_log_lines ("", diff);
      g_test_fail_printf ("%s: the exported XML runs a different command line", golden->name);
      return;
    }

  xml_again = hangar_domain_to_xml (again);
  g_assert_cmpstr (xml_again, ==, xml);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  golden_add_case_tests ("cases", "/hangar/golden/schema", test_schema);
  golden_add_case_tests ("cases", "/hangar/golden/roundtrip", test_roundtrip);
  golden_add_case_tests ("cases", "/hangar/golden/generated", test_generated);

  return g_test_run ();
}
