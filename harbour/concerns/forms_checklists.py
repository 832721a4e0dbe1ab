"""Forms for working a concern's checklist and for a school's own version of its procedures.

They check the shape of the input; ``checklists`` services decide what is allowed.
"""

from __future__ import annotations

from django import forms

from harbour.concerns import checklists


class StepCompleteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)


class StepNotApplicableForm(forms.Form):
    reason = forms.CharField(
        label="Why this step does not apply",
        max_length=2000,
        error_messages={"required": "Say why this step does not apply to this concern."},
    )


class StepAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Answer",
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Choose yes or no.", "invalid_choice": "Choose yes or no."},
    )

    def answer_bool(self) -> bool:
        return self.cleaned_data["answer"] == "yes"


class ProcedureStepForm(forms.Form):
    text = forms.CharField(
        label="Step",
        max_length=checklists.MAX_TEXT,
        help_text="What needs doing, in a short sentence. For a question, write it so that 'yes' means refer now.",
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        required=False,
        max_length=checklists.MAX_GUIDANCE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown under the step: how to do it, who to call, what to avoid.",
    )
    position = forms.IntegerField(
        label="Position",
        min_value=1,
        max_value=checklists.MAX_POSITION,
        help_text="Steps are listed from the lowest number. Harbour's own steps are numbered 10, 20, 30 and so on.",
    )


class ProcedureStepAddForm(ProcedureStepForm):
    is_question = forms.BooleanField(
        label="This is an immediate-referral question",
        required=False,
        help_text="Answered yes or no; a 'yes' shows a banner telling the DSL to refer now.",
    )
